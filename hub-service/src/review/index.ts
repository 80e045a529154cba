// Output review: release policies, checkers' reviews and the decision they lead to.
export { applyPolicy, jobPolicy, requiredReviewers, type JobPolicy } from './policy.js';
export { decide, feedbackFor, latestReviews, type IReviewOutcome } from './decide.js';
export { ReviewDesk } from './desk.js';
export { checkResubmission } from './resubmission.js';
export { askForChecker, openRequest, requestedPaths } from './request.js';
