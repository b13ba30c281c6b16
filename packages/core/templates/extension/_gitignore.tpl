node_modules/
dist/
coverage/
*.tsbuildinfo
*.tgz
*.log
