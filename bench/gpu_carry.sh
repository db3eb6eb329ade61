#!/usr/bin/env bash
# Prepare what bench/gpu_device.sh needs on the GPU machine that its image lacks (no registry
# there): the wheels of this project's non-torch dependencies for Python 3.12, and bubblewrap
# (its binary and the libraries it links). Usage: bash bench/gpu_carry.sh [DEST], default
# build/gpu-carry (ignored by git); then name DEST in the device run's `carry`.
set -eu
DEST=${1:-build/gpu-carry}
mkdir -p "$DEST/whl" "$DEST/lib"
# Versions as pinned here; pydantic-core must match pydantic exactly.
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    -d "$DEST/whl" saq==0.26.4 croniter==7.0.0 pydantic==2.14.4 pydantic_core==2.50.5 \
    annotated-types==0.8.0 typing-inspection==0.4.5 typing_extensions==4.16.0
install -m 0755 "$(command -v bwrap)" "$DEST/bwrap"
for lib in $(ldd "$(command -v bwrap)" | awk '/=> \//{print $3}' | grep -v -E '/libc\.so|/ld-linux'); do
    cp -L "$lib" "$DEST/lib/"
done
du -sh "$DEST"
