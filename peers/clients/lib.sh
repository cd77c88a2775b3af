# Shared by the client recipes: `peers/clients/NAME.sh URL [CA]`.
# usage_or_version prints the client's version for --version and checks the arguments.
client_args() {
  if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $(basename "$0") URL [CA_FILE] | --version" >&2
    exit 64
  fi
}
