/** How to attach a VM to a guestnet bridge, for each tool, as text to copy. */

export interface Snippet {
  id: 'qemu' | 'libvirt' | 'boxes'
  title: string
  intro: string
  code: string
  after?: string
}

/** Bridge names reach a shell command line and XML: only what Linux allows in one, never quotes. */
export function safeBridge(bridge: string): string {
  return /^[A-Za-z0-9_.:-]{1,15}$/.test(bridge) ? bridge : 'BRIDGE'
}

export function connectSnippets(bridgeName: string): Snippet[] {
  const br = safeBridge(bridgeName)
  return [
    {
      id: 'qemu',
      title: 'QEMU',
      intro: 'Add these options to your qemu-system command line:',
      code: `-netdev bridge,br=${br},id=n0 -device virtio-net-pci,netdev=n0`,
      after: `QEMU's bridge helper must be allowed to use the bridge: add the line "allow ${br}" to /etc/qemu/bridge.conf.`
    },
    {
      id: 'libvirt',
      title: 'libvirt and virt-manager',
      intro: `In virt-manager choose Network source "Bridge device" with device name ${br}, or put this in the domain XML (virsh edit):`,
      code: `<interface type='bridge'>\n  <source bridge='${br}'/>\n  <model type='virtio'/>\n</interface>`
    },
    {
      id: 'boxes',
      title: 'GNOME Boxes',
      intro: `Boxes runs VMs in your user's libvirt session, which attaches to bridges through QEMU's bridge helper. Allow the bridge (the line "allow ${br}" in /etc/qemu/bridge.conf), then give the VM this interface with virsh -c qemu:///session edit NAME:`,
      code: `<interface type='bridge'>\n  <source bridge='${br}'/>\n  <model type='virtio'/>\n</interface>`
    }
  ]
}
