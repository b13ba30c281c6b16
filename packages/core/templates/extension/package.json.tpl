{
  "name": "{{packageName}}",
  "version": "0.1.0",
  "description": "Commerce Coordinator extension: {{name}}",
  "license": "UNLICENSED",
  "type": "module",
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "main": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "files": [
    "dist"
  ],
  "engines": {
    "node": ">=20.19"
  },
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "test": "NODE_OPTIONS=--experimental-vm-modules jest",
    "changeset": "changeset",
    "prepack": "npm run build",
    "release": "changeset publish"
  },
  "dependencies": {
    "@coordinator/core": "^{{coreVersion}}"
  },
  "peerDependencies": {
    "@nestjs/common": "^12.5.1",
    "class-transformer": "^0.5.1",
    "class-validator": "^0.15.1",
    "reflect-metadata": "^0.2.2"
  },
  "devDependencies": {
    "@changesets/cli": "2.31.1",
    "@coordinator/testing": "^{{coreVersion}}",
    "@jest/globals": "30.5.2",
    "@nestjs/common": "^12.5.1",
    "@swc/core": "^1.16.22",
    "@swc/jest": "^0.2.39",
    "@types/node": "^20.19.0",
    "class-transformer": "^0.5.1",
    "class-validator": "^0.15.1",
    "jest": "^30.5.2",
    "reflect-metadata": "^0.2.2",
    "typescript": "7.0.2"
  }
}
