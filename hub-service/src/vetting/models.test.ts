import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelChecker } from './models.js';
import { context, html, outputCandidate, stream } from './test-candidates.js';

const summary = (dof: number) => `                            OLS Regression Results
==============================================================================
Dep. Variable:                      y   R-squared:                       0.912
Model:                            OLS   Adj. R-squared:                  0.890
No. Observations:                  ${dof + 2}   AIC:                             31.2
Df Residuals:                       ${dof}   BIC:                             32.1
Df Model:                           1
`;

describe('ModelChecker', () => {
  it('fails a statsmodels summary with fewer than 10 residual degrees of freedom', async () => {
    const c = outputCandidate(stream(summary(5)));
    const [f] = await new ModelChecker(10).check(c, context(c));
    assert.equal(f.verdict, 'fail');
    assert.equal(f.location?.row, 5);
  });

  it('passes one with enough, reads the HTML summary too, and says nothing of other text', async () => {
    const c = outputCandidate(stream(summary(48)));
    assert.equal((await new ModelChecker(10).check(c, context(c)))[0].verdict, 'pass');
    const h = outputCandidate(
      html('<table class="simpletable"><tr><th>Df Residuals:</th><td>   3</td></tr></table>')
    );
    assert.equal((await new ModelChecker(10).check(h, context(h)))[0].verdict, 'fail');
    const plain = outputCandidate(stream('hello'));
    assert.deepEqual(await new ModelChecker(10).check(plain, context(plain)), []);
  });
});
