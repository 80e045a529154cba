// Output review: release policies, checkers' reviews and the decision they lead to.
export { applyPolicy, jobPolicy, requiredReviewers, type JobPolicy } from './policy.js';
