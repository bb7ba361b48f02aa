#!/usr/bin/env bash
# Turns a Word report into PNG pages to look at: LibreOffice → PDF → pdftoppm.
# Needs libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk (apt-get install -y …).
# Usage: scripts/report-preview.sh report.docx [outdir]
set -euo pipefail
in=$1
out=${2:-test-results/report-preview}
mkdir -p "$out"
export FONTCONFIG_FILE="$(cd "$(dirname "$0")" && pwd)/fonts/fonts.conf"
soffice --headless --convert-to pdf --outdir "$out" "$in" >/dev/null 2>&1
pdf="$out/$(basename "${in%.*}").pdf"
pdftoppm -png -r 70 "$pdf" "$out/page"
ls "$out"
