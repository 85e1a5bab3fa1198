#!/usr/bin/python3
"""dask_job.py - a newsdesk map/reduce job on Dask distributed (Debian
package python3-distributed): the input file is cut into one part per
worker (--parts), each worker maps its part in place with
scripts/scale/map_part.sh (`newsdesk map --part K/N`, sorted by key,
optionally combined) into a file, and the sorted parts are merged
(`sort -m`) into one `newsdesk reduce`.

    scripts/scale/dask_job.py [--workers N] [--parts P] [--combine] [--scheduler ADDR]
        [--workdir DIR] [--newsdesk PROG] INPUT.jsonl MAPPER REDUCER [-- MAP-ARGS...] > result.jsonl

Without --scheduler it starts a LocalCluster of N worker processes (default
2, one thread each) on 127.0.0.1 and stops it at the end, also when the job
fails.  With --scheduler tcp://HOST:PORT it uses a running cluster, whose
workers must see INPUT, MAPPER, the newsdesk program and the work directory
at the same paths (a shared file system).  A task gets only its part's
number and the paths, never data, and returns nothing but its status: the
mapped lines stay in files, so nothing is serialised through Dask.  P
defaults to the number of worker threads.

Messages name the line in the whole input (`--part` counts the lines
before the part).  --combine runs the reducer as each part's combiner
(`newsdesk reduce -q --key key REDUCER`, right for reducers whose results
reduce again to the same result, such as sum.lua and top.lua).  The work
directory (default: a new one beside INPUT) is removed at the end.
MAP-ARGS default to `--key entity`.  Exit status: 1 when any part failed
(its standard error is printed, naming the line), when the merge or the
reducer failed, or when the cluster could not start; 2 on a usage error.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

MAP_PART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "map_part.sh")


def map_part(prog, k, n, path, mapper, out, combiner, map_args):
    """Run map_part.sh for part k of n (on a worker); raise with its messages."""
    cmd = [MAP_PART, str(k), str(n), path, mapper, out, combiner, "--"] + map_args
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=dict(os.environ, NEWSDESK=prog))
    if r.returncode != 0:
        raise RuntimeError("part %d of %d exited %d:\n%s"
                           % (k, n, r.returncode, r.stderr.decode("utf-8", "replace")))


def run(args, client, work):
    n = args.parts or max(1, sum(w.get("nthreads", 1)
                                 for w in client.scheduler_info()["workers"].values()))
    path = os.path.abspath(args.input)
    mapper = os.path.abspath(args.mapper)
    combiner = os.path.abspath(args.reducer) if args.combine else ""
    outs = [os.path.join(work, "part.%d" % k) for k in range(1, n + 1)]
    futures = [client.submit(map_part, args.newsdesk, k, n, path, mapper, outs[k - 1], combiner,
                             args.map_args, pure=False) for k in range(1, n + 1)]
    try:
        for fut in futures:
            fut.result()
    except Exception as e:          # a part failed: stop the others
        client.cancel(futures)
        sys.stderr.write("dask_job.py: %s\n" % e)
        return 1
    env = dict(os.environ, LC_ALL="C")
    merge = subprocess.Popen(["sort", "-m", "-t", "\t", "-k1,1"] + outs, stdout=subprocess.PIPE, env=env)
    red = subprocess.Popen([args.newsdesk, "reduce", "-q", args.reducer] + args.reduce_args,
                           stdin=merge.stdout)
    merge.stdout.close()
    rs, rr = merge.wait(), red.wait()
    if rs != 0 or rr != 0:
        sys.stderr.write("dask_job.py: sort -m exited %d, newsdesk reduce exited %d\n" % (rs, rr))
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
    p.add_argument("--parts", type=int, default=0)
    p.add_argument("--combine", action="store_true")
    p.add_argument("--scheduler")
    p.add_argument("--workdir")
    p.add_argument("--newsdesk", default=os.environ.get("NEWSDESK", "newsdesk"))
    p.add_argument("--reduce-arg", dest="reduce_args", action="append", default=[])
    p.add_argument("input")
    p.add_argument("mapper")
    p.add_argument("reducer")
    args = p.parse_args(argv)
    args.map_args = map_args if map_args else ["--key", "entity"]
    if args.workers < 1 or args.parts < 0:
        p.error("--workers must be at least 1, --parts at least 1")
    if not os.path.isfile(args.input):
        sys.stderr.write("dask_job.py: %s: no such file\n" % args.input)
        return 1
    if os.sep in args.newsdesk:
        args.newsdesk = os.path.abspath(args.newsdesk)
    if not args.parts and not args.scheduler:
        args.parts = args.workers
    work = tempfile.mkdtemp(prefix="newsdesk-dask.", dir=args.workdir or
                            os.path.dirname(os.path.abspath(args.input)))
    import dask
    from dask.distributed import Client, LocalCluster
    # The workers only wait for newsdesk: their statistical profiler (a
    # sample every 10 ms) has nothing to see, and forking them skips
    # spawn's fresh interpreter and imports; together about 2 CPU seconds
    # to start and 0.1 CPU second a second after, taken from the mappers
    # (the workers of a running cluster, --scheduler, keep their own)
    # A local worker runs one task that waits for newsdesk: Dask's sampling
    # profiler, its 20 ms event-loop tick, the monitors and work stealing
    # would only take CPU from the mappers; forked workers start faster.
    dask.config.set({"distributed.worker.profile.enabled": False,
                     "distributed.worker.multiprocessing-method": "fork",
                     "distributed.admin.tick.interval": "1s",
                     "distributed.admin.system-monitor.interval": "5s",
                     "distributed.scheduler.work-stealing": False,
                     "distributed.worker.memory.monitor-interval": "1s"})
    try:
        if args.scheduler:
            with Client(args.scheduler) as client:
                return run(args, client, work)
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                          local_directory=work, silence_logs=40) as cluster, Client(cluster) as client:
            return run(args, client, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
