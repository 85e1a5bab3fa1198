#!/bin/sh
# bench_search.sh — search quality beside its goals: recall of inflected
# forms and precision of hits per language (tests/search/quality.lua; the
# README's "Search" section explains the lists).
BUILD=${BUILD:-build}
exec "$BUILD/newsdesk" run tests/search/quality.lua tests/search
