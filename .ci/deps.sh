# Sourced by .ci/test: installs the Debian packages the tests use (TeX Live for the LaTeX sheets,
# Chromium for the HTML page, poppler for reading PDFs back, pandoc for the Word documents,
# FashionMNIST for exercise 5), when
# missing. A developer's second run skips what is there.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "note: not root, cannot install ${missing[*]}; tests that need them will say so" >&2
    return 0
  fi
  echo "installing ${missing[*]} (once)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

apt_install texlive-xetex texlive-latex-recommended lmodern fonts-dejavu-core fonts-dejavu-extra fonts-noto-mono poppler-utils chromium \
  pandoc dataset-fashion-mnist
