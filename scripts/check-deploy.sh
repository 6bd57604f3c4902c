#!/usr/bin/env bash
# Checks deploy/: the Prometheus configuration and alert rules parse (promtool check), the rules'
# unit tests pass (promtool test rules), and the Grafana board is valid JSON. That every metric
# they query exists on a real node is DeployConfigTest (src/node/deploy_config_test.cc).
set -euo pipefail
cd "$(dirname "$0")/../deploy"
promtool check config --syntax-only prometheus/prometheus.yml >/dev/null
promtool check rules prometheus/alerts.yml >/dev/null
promtool test rules prometheus/alerts_test.yml >/dev/null
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' grafana/opendepin-node.json
echo "check-deploy: deploy/ ok"
