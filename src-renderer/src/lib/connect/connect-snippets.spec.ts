import { describe, expect, it } from 'vitest'

import { connectSnippets, safeBridge } from './connect-snippets'

describe('connect snippets', () => {
  it('gives the QEMU and libvirt lines for the bridge', () => {
    const [qemu, libvirt, boxes] = connectSnippets('virbr0')
    expect(qemu.code).toBe('-netdev bridge,br=virbr0,id=n0 -device virtio-net-pci,netdev=n0')
    expect(libvirt.code).toBe(
      "<interface type='bridge'>\n  <source bridge='virbr0'/>\n  <model type='virtio'/>\n</interface>"
    )
    expect(boxes.intro).toContain('allow virbr0')
  })

  it('never puts a quote or a shell character into a snippet', () => {
    expect(safeBridge("br0'/><x")).toBe('BRIDGE')
    expect(safeBridge('virbr12')).toBe('virbr12')
    expect(safeBridge('a-very-long-bridge-name')).toBe('BRIDGE')
  })
})
