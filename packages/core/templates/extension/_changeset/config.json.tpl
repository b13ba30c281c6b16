{
  "$schema": "https://unpkg.com/@changesets/config@3.1.1/schema.json",
  "changelog": "@changesets/cli/changelog",
  "commit": false,
  "fixed": [],
  "linked": [],
  "access": "{{changesetAccess}}",
  "baseBranch": "main",
  "updateInternalDependencies": "patch",
  "ignore": []
}
