# Shared by the peer recipes: a work folder with a document root and, for TLS, a
# self-signed certificate for localhost / 127.0.0.1 / ::1.
# Usage inside a recipe: . "$(dirname "$0")/lib.sh"; peer_version="SERVER --version";
# peer_args "$@"; peer_prepare "$workdir" "$mode"

peer_die() { echo "peers: $*" >&2; exit 2; }

# peer_unsupported MESSAGE: the server cannot run in the asked mode (Varnish has no TLS, for
# example). Exit code 77, distinct from peer_die's 2: the tests report such a run as skipped.
peer_unsupported() { echo "peers: not supported: $*" >&2; exit 77; }

peer_prepare() {
  local dir=$1 mode=$2
  mkdir -p "$dir/docroot" || peer_die "cannot create $dir"
  printf 'h2conform test page\n' > "$dir/docroot/index.html"
  head -c 262144 /dev/zero | tr '\0' 'x' > "$dir/docroot/large.txt"
  chmod 755 "$dir" "$dir/docroot"
  chmod 644 "$dir/docroot/"*
  case $mode in
    tls)
      if [ ! -s "$dir/cert.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
          -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 7 -subj /CN=localhost \
          -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >/dev/null 2>&1 \
          || peer_die "openssl could not make a certificate"
        chmod 644 "$dir/cert.pem" "$dir/key.pem"
      fi ;;
    clear) ;;
    *) peer_die "mode must be tls or clear, not '$mode'" ;;
  esac
}

# peer_args "$@": checks a recipe's arguments. Given only --version, prints the first line of
# what the recipe's $peer_version command prints (the server's version) and exits 0.
peer_args() {
  if [ $# -eq 1 ] && [ "$1" = --version ]; then
    [ -n "${peer_version:-}" ] || peer_die "this recipe sets no peer_version"
    bash -c "$peer_version" 2>&1 | head -n 1
    exit 0
  fi
  [ $# -eq 3 ] || peer_die "usage: $0 PORT tls|clear WORKDIR"
  case $1 in ''|*[!0-9]*) peer_die "port must be a number, not '$1'" ;; esac
}
