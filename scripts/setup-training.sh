#!/usr/bin/env bash
# Extra Debian packages for converting and training models (not needed to run or test Huabu).
# Always run model scripts with /usr/bin/python3: the python3 first on PATH may lack these.
set -euo pipefail
packages=(python3-torch python3-torchvision python3-onnx python3-numpy python3-pil
          libopenblas0-openmp librsvg2-bin python3-skimage
          plasma-workspace-wallpapers mate-backgrounds)   # SR training photos (models/sr)
"$(dirname "$0")/apt-install-missing.sh" "${packages[@]}"
/usr/bin/python3 -c "import torch, onnx; print('torch', torch.__version__, 'onnx', onnx.__version__)"
