#!/usr/bin/env bash
# Container health check: exits 0 when GET http://127.0.0.1:PORT/PATH answers 200 within a few seconds.
# Uses bash's /dev/tcp, since the .NET runtime images have neither curl nor wget.
#   healthcheck.sh PORT PATH ["Header: value"]
set -u
port=$1 path=$2 header=${3:-}
status=$(timeout 5 bash -c '
  exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
  printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%b\r\n" "$1" "${2:+$2\r\n}" >&3
  head -n 1 <&3' "$port" "$path" "$header" 2>/dev/null)
case "$status" in *" 200 "*) exit 0 ;; *) exit 1 ;; esac
