#!/usr/bin/env bash
# Installs what Huabu needs on Debian 12 and builds it. Idempotent: a second run installs
# nothing and rebuilds only what changed. Called by `./huabu serve|test|bench|eval|cli`.
#
#   scripts/setup.sh            system packages + npm packages + native and wasm builds
#   scripts/setup.sh --no-build packages only
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
[[ "${1:-}" == "--no-build" ]] && build=0

# Debian packages the app, the builds and the tests use. Training needs more:
# scripts/setup-training.sh.
apt_packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  libgtest-dev libwebp-dev      # native core and its tests
  libpng-dev                    # the CLI reads and writes PNG
  libopencv-dnn-dev             # the CLI's ONNX engine (OpenCV dnn, native/engine/)
  nlohmann-json3-dev            # the CLI reads model manifests
  emscripten dpkg-dev           # wasm core; dpkg-dev for `apt-get source libwebp`
  chromium                      # browser end-to-end tests
  redis-server                  # rooms shared across server instances (tests, --redis)
  fonts-wqy-microhei            # Chinese glyphs for the UI in Chromium (tests, screenshots)
  python3-skimage               # held-out test photos (skimage/data) for SR tests and eval
)
command -v node >/dev/null || apt_packages+=(nodejs npm)

scripts/apt-install-missing.sh "${apt_packages[@]}"

# npm packages, pinned by package-lock.json. onnxruntime-node's postinstall would try to
# download CUDA files (no network here); its CPU library ships inside the package.
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi

# libwebp's C sources for the wasm build come from Debian's source package.
scripts/fetch-libwebp-source.sh

if ((build)); then
  export NODE_PATH=/usr/share/nodejs   # emcc's optimiser needs Debian's acorn
  echo "setup: building native core"
  cmake --preset native >/dev/null
  cmake --build --preset native
  echo "setup: building wasm core"
  cmake --preset wasm >/dev/null
  cmake --build --preset wasm
fi
