"""Templates that `zoho-manifest-guard init` fills in: the workflows and the policy file."""
