// Model summaries it can recognise (statsmodels' summary, R's lm): at least `dof_threshold` residual degrees of freedom.
import type { Finding } from '../schema/index.js';
import { locate, type ICandidate, type IChecker, type IVetContext } from './index.js';
import { TextPosition } from './text-position.js';

/** statsmodels: "Df Residuals:  5" (text and HTML summaries); R: "on 5 degrees of freedom". */
const residualDof = /Df Residuals:\s*(\d+)|on (\d+) degrees of freedom/g;

export class ModelChecker implements IChecker {
  readonly name = 'models';

  constructor(private dofThreshold = 10) {}

  async check(c: ICandidate, { content }: IVetContext): Promise<Finding[]> {
    const text = await content.text();
    if (text === undefined) {
      return [];
    }
    const findings: Finding[] = [];
    const position = new TextPosition(text, false);
    let models = 0;
    for (const m of text.matchAll(residualDof)) {
      models++;
      const dof = Number(m[1] ?? m[2]);
      if (dof < this.dofThreshold) {
        findings.push({
          check: this.name,
          verdict: 'fail',
          reason: `A model summary with fewer than ${this.dofThreshold} residual degrees of freedom: the model is close to a lookup table of individuals.`,
          location: locate(c, { row: position.lineOf(m.index) }),
          mitigations: [
            {
              action: 'aggregate',
              detail: 'Fit the model on more records or with fewer parameters.'
            }
          ]
        });
      }
    }
    if (models > 0 && findings.length === 0) {
      findings.push({
        check: this.name,
        verdict: 'pass',
        reason: `Every model summary has at least ${this.dofThreshold} residual degrees of freedom.`,
        location: locate(c)
      });
    }
    return findings;
  }
}
