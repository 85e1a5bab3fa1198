#!/usr/bin/python3
"""dask_job.py - a newsdesk map/reduce job on Dask distributed (Debian
package python3-distributed): the input is cut into parts of whole lines,
each part is piped through `newsdesk map` on a worker process, and the
mapped KEY<TAB>JSON lines are sorted by key and reduced.

    scripts/scale/dask_job.py [--workers N] [--lines L] [--scheduler ADDR]
        [--newsdesk PROG] INPUT.jsonl MAPPER REDUCER [-- MAP-ARGS...] > result.jsonl

Without --scheduler it starts a LocalCluster of N worker processes (default
2, one thread each) on 127.0.0.1 and stops it at the end, also when the job
fails.  With --scheduler tcp://HOST:PORT it uses a running cluster, whose
workers must see INPUT, MAPPER and the newsdesk program at the same paths
(a shared file system): a task gets a byte range of INPUT, never the data
itself, and returns its mapped lines.

Each part is told with --line-offset where it starts, so a mapper's
messages name the line in the whole input.  The mapped lines are sorted
with `LC_ALL=C sort -t TAB -k1,1` (the order Hadoop gives a reducer) and
reduced by one `newsdesk reduce -q REDUCER`.  MAP-ARGS default to
`--key entity`.  Exit status: 1 when any part's mapper failed (its
standard error is printed, naming the line), when sort or the reducer
failed, or when the cluster could not start; 2 on a usage error.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def line_parts(path, lines):
    """(byte start, byte end, lines before) of each run of `lines` lines."""
    parts, start, count, before, pos = [], 0, 0, 0, 0
    with open(path, "rb") as f:
        for line in f:
            pos += len(line)
            count += 1
            if count == lines:
                parts.append((start, pos, before))
                start, before, count = pos, before + count, 0
    if count:
        parts.append((start, pos, before))
    return parts


def map_part(prog, path, start, end, before, mapper, map_args):
    """Run `newsdesk map` on bytes [start, end) of path (on a worker)."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    cmd = [prog, "map", "-q", "--line-offset", str(before)] + map_args + [mapper]
    r = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("newsdesk map on lines %d-%d exited %d:\n%s"
                           % (before + 1, before + data.count(b"\n"), r.returncode,
                              r.stderr.decode("utf-8", "replace")))
    return r.stdout


def run(args, client):
    parts = line_parts(args.input, args.lines)
    mapper = os.path.abspath(args.mapper)
    path = os.path.abspath(args.input)
    futures = [client.submit(map_part, args.newsdesk, path, s, e, b, mapper, args.map_args, pure=False)
               for s, e, b in parts]
    env = dict(os.environ, LC_ALL="C")
    sort = subprocess.Popen(["sort", "-t", "\t", "-k1,1"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=env)
    red = subprocess.Popen([args.newsdesk, "reduce", "-q", args.reducer] + args.reduce_args,
                           stdin=sort.stdout)
    sort.stdout.close()
    failed = None
    try:
        # in input order: what reaches sort does not depend on timing
        for fut in futures:
            sort.stdin.write(fut.result())
    except Exception as e:          # a mapper failed: stop the others
        failed = e
        client.cancel(futures)
    sort.stdin.close()
    rs, rr = sort.wait(), red.wait()
    if failed is not None:
        sys.stderr.write("dask_job.py: %s\n" % failed)
        return 1
    if rs != 0 or rr != 0:
        sys.stderr.write("dask_job.py: sort exited %d, newsdesk reduce exited %d\n" % (rs, rr))
        return 1
    return 0


def main():
    argv = sys.argv[1:]
    map_args = None
    if "--" in argv:
        k = argv.index("--")
        argv, map_args = argv[:k], argv[k + 1:]
    p = argparse.ArgumentParser(description="newsdesk map/reduce on Dask distributed")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--lines", type=int, default=10000)
    p.add_argument("--scheduler")
    p.add_argument("--newsdesk", default=os.environ.get("NEWSDESK", "newsdesk"))
    p.add_argument("--reduce-arg", dest="reduce_args", action="append", default=[])
    p.add_argument("input")
    p.add_argument("mapper")
    p.add_argument("reducer")
    args = p.parse_args(argv)
    args.map_args = map_args if map_args else ["--key", "entity"]
    if args.lines < 1 or args.workers < 1:
        p.error("--lines and --workers must be at least 1")
    if not os.path.isfile(args.input):
        sys.stderr.write("dask_job.py: %s: no such file\n" % args.input)
        return 1
    from dask.distributed import Client, LocalCluster
    if args.scheduler:
        with Client(args.scheduler) as client:
            return run(args, client)
    with tempfile.TemporaryDirectory(prefix="newsdesk-dask-") as tmp:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                          local_directory=tmp, silence_logs=40) as cluster, Client(cluster) as client:
            return run(args, client)


if __name__ == "__main__":
    sys.exit(main())
