# Changesets

Every change that users of `{{packageName}}` should hear about adds a changeset:
run `npx changeset`, pick the bump (patch, minor or major) and write a one-line summary
for the changelog. The file it writes here is committed with the change.

To release, `npx changeset version` turns the pending changesets into the new version
in `package.json` and an entry in `CHANGELOG.md`; commit that, then `npm run release`
builds the package and publishes it (`changeset publish`) and tags the version.
