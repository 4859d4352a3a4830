#!/usr/bin/env bash
# Applies examples/terraform (a PrivateLink service across two accounts, an S3 gateway endpoint with a policy) with
# Terraform's AWS provider against underpass at $1, checks what it reports, that a second plan has nothing to change,
# and destroys it. The provider comes from a local mirror (UNDERPASS_TF_PLUGIN_MIRROR, default /opt/tf-plugins);
# nothing is fetched from the network (CHECKPOINT_DISABLE). TERRAFORM may name the binary.
set -euo pipefail
endpoint=${1:?usage: terraform-smoke.sh ENDPOINT}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TERRAFORM=${TERRAFORM:-terraform}
mirror=${UNDERPASS_TF_PLUGIN_MIRROR:-/opt/tf-plugins}
# step, expect and expect_match; its clean AWS environment also keeps the provider from reading ~/.aws.
# shellcheck source=scripts/smoke-lib.sh
. "$here/smoke-lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/../examples/terraform/main.tf" "$work/"
cat > "$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_VAR_endpoint="$endpoint" TF_DATA_DIR="$work/.terraform"
tf() { "$TERRAFORM" -chdir="$work" "$@"; }

step "terraform init (provider from $mirror)"
tf init -no-color >/dev/null
step "terraform apply"
tf apply -auto-approve -no-color >"$work/apply.log" || { cat "$work/apply.log" >&2; exit 1; }
expect_match "$(grep -o 'Apply complete! Resources: [0-9]* added' "$work/apply.log")" \
  '^Apply complete! Resources: [0-9]+ added$' "apply"
expect "$(tf output -raw endpoint_state)" "available" "interface endpoint accepted across accounts"
expect_match "$(tf output -raw endpoint_dns_name)" '^vpce-[0-9a-f]{17}-[a-z0-9]{8}\.vpce-svc-[0-9a-f]{17}\.us-east-1\.vpce\.amazonaws\.com$' \
  "endpoint DNS name"
expect_match "$(tf output -raw s3_prefix_list)" '^pl-[0-9a-f]+$' "S3 gateway endpoint prefix list"
expect "$(tf state show -no-color aws_lb.service | grep -o 'capacity_units *= *[0-9]*' | tr -s ' ')" \
  "capacity_units = 2000" "NLB capacity reservation read back"
expect "$(tf state show -no-color aws_instance.app | grep -c 'user_data *= *"')" "1" "instance user data kept"

step "terraform plan: nothing to change"
set +e
tf plan -detailed-exitcode -no-color >"$work/plan.log"
rc=$?
set -e
[ "$rc" = 0 ] || { cat "$work/plan.log" >&2; }
expect "$rc" "0" "second plan's exit code (0: no changes)"

step "terraform destroy"
tf destroy -auto-approve -no-color >"$work/destroy.log" || { cat "$work/destroy.log" >&2; exit 1; }
expect_match "$(grep -o 'Destroy complete! Resources: [0-9]* destroyed' "$work/destroy.log")" \
  '^Destroy complete! Resources: [0-9]+ destroyed$' "destroy"
echo "all checks passed"
