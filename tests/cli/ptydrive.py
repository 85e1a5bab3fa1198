#!/usr/bin/env python3
"""ptydrive.py - drive an interactive program through a pseudo-terminal.

usage: python3 tests/cli/ptydrive.py PROGRAM [ARGS...] < SCENARIO

The scenario is read from standard input, one step per line:
  send TEXT        once the output has been quiet for 0.1 s, write TEXT to the
                   terminal; \\r \\t \\n \\xNN escapes work (\\x03 is
                   Ctrl-C, \\x04 Ctrl-D)
  expect REGEX     wait (up to WAIT s) until the output since the last match
                   contains REGEX (Python syntax; escape sequences and
                   carriage returns are removed from the output first)
  reject REGEX     the output since the last match must not contain REGEX
  sleep SECONDS    let the program run
  exit CODE        wait (up to WAIT s) for the program to end with CODE
WAIT is 60 s: a bound that only a hang reaches, however busy the machine
(output normally comes within milliseconds).
Blank lines and lines starting with # are ignored.  Exit status 0 when
every step passed; otherwise 1 and a report on standard output of the step
that failed and the output seen.
"""
import os
import pty
import re
import select
import sys
import time

WAIT = 60
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x07|\r")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    steps = [l.rstrip("\n") for l in sys.stdin if l.strip() and not l.startswith("#")]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        finally:
            os._exit(127)
    seen = ""          # output not yet consumed by an expect
    status = None

    def pump(timeout):
        nonlocal seen, status
        r, _, _ = select.select([fd], [], [], timeout)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                seen += ANSI.sub("", data.decode("utf-8", "replace"))
                return True
        if status is None:
            p, st = os.waitpid(pid, os.WNOHANG)
            if p:
                status = os.waitstatus_to_exitcode(st)
        return False

    def fail(step, why):
        print("# step failed: %s" % step)
        print("# %s" % why)
        for line in seen[-2000:].split("\n"):
            print("#   | %s" % line)
        if status is None:
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        return 1

    for step in steps:
        cmd, _, arg = step.partition(" ")
        if cmd == "send":
            while pump(0.1):      # let the program settle, as a person would
                pass
            os.write(fd, arg.encode("utf-8").decode("unicode_escape").encode("latin-1"))
        elif cmd == "sleep":
            end = time.time() + float(arg)
            while time.time() < end:
                pump(0.05)
        elif cmd == "expect":
            rx = re.compile(arg)
            end = time.time() + WAIT
            while True:
                m = rx.search(seen)
                if m:
                    seen = seen[m.end():]
                    break
                if time.time() > end or (status is not None and not pump(0)):
                    return fail(step, "pattern not seen")
                pump(0.1)
        elif cmd == "reject":
            pump(0.2)
            if re.search(arg, seen):
                return fail(step, "pattern seen")
        elif cmd == "exit":
            end = time.time() + WAIT
            while status is None and time.time() < end:
                pump(0.1)
            if status is None:
                return fail(step, "program still running")
            if status != int(arg):
                return fail(step, "exit status %d" % status)
        else:
            return fail(step, "unknown step")
    if status is None:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
