# Nim 1.6 has threads off by default; the program sends to an async handle from a thread.
switch("threads", "on")
