/** The incident report every intake measurement posts (and the bare baseline echoes). */
export function reportBody(i: number): string {
  return JSON.stringify({
    title: `Bench report ${i}`,
    summary: 'Automated report from the SIEM during the benchmark.',
    severity: i % 10 === 0 ? 'high' : 'low',
    rsitClass: 'intrusion-attempts',
    rsitType: 'brute-force',
    awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    suspectedMalicious: true,
    crossBorder: false,
    indicators: [{ type: 'ipv4', value: `198.51.100.${i % 250}` }],
    tlp: 'GREEN',
  });
}
