#!/bin/sh
# certbot --deploy-hook: put the renewed certificate where HAProxy reads it (chain then key, one
# PEM file), then `systemctl reload visions21`: HAProxy starts again with it while the old one
# finishes its open connections (tablets keep theirs). Install:
#   install -m 755 deploy/certbot-deploy-hook.sh /etc/letsencrypt/renewal-hooks/deploy/visions21.sh
set -eu
umask 077
target=/etc/visions21/tls/site.pem
cat "$RENEWED_LINEAGE/fullchain.pem" "$RENEWED_LINEAGE/privkey.pem" > "$target.new"
chown root:visions21 "$target.new"
chmod 640 "$target.new"
mv "$target.new" "$target"
systemctl reload visions21
