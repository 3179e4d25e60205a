import PDFDocument from 'pdfkit';
import {
  legalBasis,
  legalStatusLabel,
  legalStatusSentence,
  type LegalStatus,
} from '../../platform/legal-status.ts';

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
  schedule: { version: string; effectiveFrom: string } | null;
  /** The penalty schedule's legal status: anything but in force marks every page as illustrative. */
  legalStatus: LegalStatus;
  /** Why the decision was issued as final although the schedule is not law in force. */
  override: { reason: string; by: string; at: string } | null;
}

/** The sentence the body carries when the schedule is not law in force. */
export function illustrativeSentence(ls: LegalStatus): string {
  const what =
    ls.status === 'placeholder'
      ? 'a placeholder'
      : `${legalStatusLabel(ls.status).toLowerCase()}, not law in force`;
  return `Illustrative: the penalty schedule is ${what} (basis: ${legalBasis(ls)}). The amounts and factors in this letter show how a penalty would be computed; they are not set by law.`;
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
    const illustrative = x.legalStatus.status !== 'in_force';
    // A banner on every page, so no page of the letter can be read (or copied alone) as law.
    const banner = () => {
      if (!illustrative) return;
      const { x: cx, y: cy } = doc;
      const w = doc.page.width;
      doc.save().rect(0, 0, w, 34).fill('#fff3bf');
      doc
        .fillColor('#5c3c00')
        .fontSize(9)
        .text(
          `ILLUSTRATIVE – penalty schedule: ${legalStatusLabel(x.legalStatus.status).toLowerCase()}; not law in force`,
          40,
          12,
          { width: w - 80, align: 'center', lineBreak: false },
        );
      doc
        .rotate(-35, { origin: [w / 2, doc.page.height / 2] })
        .fillColor('#e03131')
        .opacity(0.08)
        .fontSize(72)
        .text('ILLUSTRATIVE', 0, doc.page.height / 2 - 40, { width: w, align: 'center', lineBreak: false })
        .restore();
      // Text that flows onto a new page goes on in the body style, not the banner's.
      doc.opacity(1).fillColor('#000').fontSize(11);
      doc.x = cx;
      doc.y = cy;
    };
    doc.on('pageAdded', banner);
    banner();
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
    if (illustrative) {
      doc.moveDown().fontSize(11).fillColor('#5c3c00').text(illustrativeSentence(x.legalStatus));
      if (x.override)
        doc
          .moveDown(0.3)
          .text(
            `Issued as final by ${x.override.by} on ${x.override.at.slice(0, 10)}, overriding the legal status, for this reason: ${x.override.reason}`,
          );
    }
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
    doc.moveDown().fontSize(13).fillColor(green).text('Legal basis');
    doc
      .fillColor('#000')
      .fontSize(11)
      .text(
        `${x.schedule ? `Penalty schedule ${x.schedule.version}, applied from ${x.schedule.effectiveFrom}. ` : ''}${legalStatusSentence(x.legalStatus)}`,
      );
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
