# Sourced by the bench scripts: the loopback test site and a config of config.example.toml's
# shape (one listing source) pointed at it. Only 127.0.0.1 is contacted.

# start_site DIR: starts tests/tools/cqc_site.py (output in DIR/site.out); sets $site (its pid)
# and $listing (its listing URL). Fails when the site does not say its port within 5 s.
start_site() {
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/../tests/tools/cqc_site.py" >"$1/site.out" 2>/dev/null &
  site=$!
  for _ in $(seq 50); do grep -qs '^PORT ' "$1/site.out" && break; sleep 0.1; done
  local port
  port=$(awk '/^PORT /{print $2}' "$1/site.out")
  [ -n "$port" ] || return 1
  listing="http://127.0.0.1:$port/care-services/local-authority-assessment-reports"
}

# listing_config DATABASE INTERVAL: the config on stdout.
listing_config() {
  cat <<EOT
[daemon]
database = "$1"
user_agent_contact = "ops@example.org"
log_level = "warn"
per_host_gap = "0s"
[[source]]
name = "cqc-reports"
kind = "listing"
url = "$listing"
link_pattern = "/care-services/local-authority-assessment-reports/[^/?#]+\$"
item = "report"
interval = "$2"
allowed_hosts = ["127.0.0.1"]
EOT
}
