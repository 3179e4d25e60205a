import PDFDocument from 'pdfkit';

export interface DecisionLetterInput {
  reference: string;
  authority: string;
  entityName: string;
  registrationNo: string;
  decidedAt: string;
  violationName: string;
  violationDate: string;
  facts: string[];
  outcome: string;
  decisionText: string;
  penalty: { amount: number; currency: string; explanation: string[] } | null;
  appealBy: string | null;
}

/** The decision letter: facts, decision, how the penalty was computed, and the right of appeal. */
export function renderDecisionLetter(x: DecisionLetterInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 60,
      info: { Title: `Decision ${x.reference}`, Author: x.authority },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const green = '#0b5e3b';
    doc.fillColor(green).fontSize(10).text(x.authority.toUpperCase(), { characterSpacing: 1 });
    doc.moveDown(0.3).fillColor('#000').fontSize(18).text(`Decision in enforcement case ${x.reference}`);
    doc
      .fontSize(10)
      .fillColor('#444')
      .text(`Issued ${x.decidedAt.slice(0, 10)}`);
    doc
      .moveDown()
      .fillColor('#000')
      .fontSize(11)
      .text(`To: ${x.entityName} (registration ${x.registrationNo})`);
    doc.moveDown().fontSize(13).fillColor(green).text('Violation');
    doc.fillColor('#000').fontSize(11).text(`${x.violationName}, on or from ${x.violationDate}.`);
    doc.moveDown(0.5).fontSize(13).fillColor(green).text('Facts');
    doc.fillColor('#000').fontSize(11);
    for (const f of x.facts) doc.text(`•  ${f}`, { indent: 10 });
    doc.moveDown(0.5).fontSize(13).fillColor(green).text('Decision');
    doc.fillColor('#000').fontSize(11).text(`Outcome: ${x.outcome}.`).moveDown(0.3).text(x.decisionText);
    if (x.penalty) {
      doc.moveDown(0.5).fontSize(13).fillColor(green).text('How the penalty was computed');
      doc.fillColor('#000').fontSize(11);
      x.penalty.explanation.forEach((line, i) => doc.text(`${i + 1}.  ${line}`, { indent: 10 }));
      doc
        .moveDown(0.5)
        .fontSize(14)
        .text(
          `Penalty payable: ${x.penalty.currency} ${Math.round(x.penalty.amount).toLocaleString('en-US')}`,
        );
    }
    if (x.appealBy) {
      doc.moveDown().fontSize(13).fillColor(green).text('Right of appeal');
      doc
        .fillColor('#000')
        .fontSize(11)
        .text(
          `You may appeal this decision until ${x.appealBy}, through Qila or in writing to the Authority.`,
        );
    }
    doc.end();
  });
}
