# Nim 1.6 has threads off by default; the work callbacks run on libuv's pool threads, and with
# threads off they would share one stack-trace frame list (a crash when two run at once).
switch("threads", "on")
