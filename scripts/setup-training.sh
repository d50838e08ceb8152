#!/usr/bin/env bash
# Extra Debian packages for converting and training models (not needed to run or test Huabu).
# Always run model scripts with /usr/bin/python3: the python3 first on PATH may lack these.
set -euo pipefail
packages=(python3-torch python3-torchvision python3-onnx python3-numpy python3-pil
          libopenblas0-openmp librsvg2-bin python3-skimage)
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c "import torch, onnx; print('torch', torch.__version__, 'onnx', onnx.__version__)"
