#!/bin/bash
# guestnet's postinst: electron-builder's own steps (binary link, chrome-sandbox, desktop database),
# then the system pieces: the privileged helper, its polkit action, the CLI, the boot-time unit.

if type update-alternatives >/dev/null 2>&1; then
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

pkg='/opt/${sanitizedProductName}/resources/packaging'
install -D -o root -g root -m 0755 "$pkg/guestnet-helper" /usr/lib/guestnet/guestnet-helper
install -D -o root -g root -m 0755 "$pkg/guestnet-inspect" /usr/lib/guestnet/guestnet-inspect
install -D -o root -g root -m 0644 "$pkg/org.guestnet.helper.policy" /usr/share/polkit-1/actions/org.guestnet.helper.policy
install -D -o root -g root -m 0755 "$pkg/guestnet-cli" /usr/bin/guestnet
install -D -o root -g root -m 0644 "$pkg/guestnet-autostart.service" /lib/systemd/system/guestnet-autostart.service
install -D -o root -g root -m 0644 "$pkg/guestnet-helper.socket" /lib/systemd/system/guestnet-helper.socket
install -D -o root -g root -m 0644 "$pkg/guestnet-helper.service" /lib/systemd/system/guestnet-helper.service
# firewalld reads its zones when it starts or reloads; no reload here (it would drop the zones of running bridges).
install -D -o root -g root -m 0644 "$pkg/guestnet-firewalld-zone.xml" /usr/lib/firewalld/zones/guestnet.xml
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    systemctl enable guestnet-autostart.service || true
    systemctl enable --now guestnet-helper.socket || true
fi
