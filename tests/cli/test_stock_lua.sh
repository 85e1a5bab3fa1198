# Stock lua5.4 loads the module from build/ and sees the same version.
. tests/cli/lib.sh
if [ "${ND_SANITIZE:-}" = 1 ]; then
    skip "stock lua5.4 cannot load a sanitizer-built module"
else
    got=$(lua5.4 -e "package.cpath='$BUILD/?.so;'..package.cpath" -e 'print(require("newsdesk").version)')
    want=$("$ND" --version | sed 's/^newsdesk //')
    check_eq "$got" "$want" "stock lua5.4 loads build/newsdesk.so with the program's version"
fi
done_testing
