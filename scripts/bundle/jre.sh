# Sourced by the bundle's run-*.sh scripts. Sets BUNDLE (this folder), JAVA (the bundled java)
# and JVM_FLAGS, unpacking jre.tar.xz on first use: under /tmp, or into the bundle when /tmp is
# not writable. A stamp (checksum of the archive) makes a changed archive unpack again.
BUNDLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JVM_FLAGS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

bw_unpack_jre() {
  local archive="$BUNDLE/jre.tar.xz" stamp home tmp
  [ -f "$archive" ] || { echo "batchwise bundle: $archive is missing" >&2; return 1; }
  stamp=$(cksum < "$archive" | tr ' ' '-')
  # Under /tmp first, so the bundle folder stays small enough to copy around (the unpacked
  # runtime is ~70 MiB); inside the bundle when /tmp is not writable.
  home="${TMPDIR:-/tmp}/batchwise-jre-$(id -u)-${stamp%%-*}"
  if ! mkdir -p "$home" 2>/dev/null || [ ! -w "$home" ]; then
    home="$BUNDLE/.runtime"
  fi
  if [ -x "$home/jre/bin/java" ] && [ "$(cat "$home/jre/.stamp" 2>/dev/null)" = "$stamp" ]; then
    JAVA="$home/jre/bin/java"
    return 0
  fi
  echo "batchwise bundle: unpacking the Java runtime into $home ..." >&2
  mkdir -p "$home"
  tmp=$(mktemp -d "$home/unpack.XXXXXX")
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$archive" | tar -xf - -C "$tmp"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$archive" "$tmp"
  else
    echo "batchwise bundle: need xz or python3 to unpack $archive" >&2
    rm -rf "$tmp"
    return 1
  fi
  echo "$stamp" > "$tmp/jre/.stamp"
  rm -rf "$home/jre"
  mv "$tmp/jre" "$home/jre"
  rmdir "$tmp"
  JAVA="$home/jre/bin/java"
}

bw_unpack_jre || exit 1
