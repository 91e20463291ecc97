# The examples use the modules of the folder above, as an installed package would be found.
switch("path", "..")
