#!/bin/bash
# guestnet's postrm: undo after-install. Networks and their definitions in /etc/guestnet stay
# (they are the admin's), as libvirt leaves /etc/libvirt.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

if [ -d /run/systemd/system ]; then
    systemctl disable guestnet-autostart.service || true
    systemctl disable --now guestnet-helper.socket guestnet-helper.service || true
fi
rm -f /lib/systemd/system/guestnet-autostart.service /lib/systemd/system/guestnet-helper.socket /lib/systemd/system/guestnet-helper.service /usr/bin/guestnet \
    /usr/share/polkit-1/actions/org.guestnet.helper.policy /usr/lib/guestnet/guestnet-helper /usr/lib/guestnet/guestnet-inspect \
    /usr/lib/firewalld/zones/guestnet.xml
rmdir /usr/lib/guestnet 2>/dev/null || true
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
