// guestnet-helper: the privileged helper. Implemented by the helper issue.
process.stderr.write('guestnet-helper: not implemented yet\n')
process.exitCode = 3
