#!/bin/bash -eu
# ClusterFuzzLite runs $SRC/build.sh in the image; the build itself is fuzzers/build.sh.
exec "$SRC/h2conform/fuzzers/build.sh"
