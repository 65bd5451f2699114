import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Like2EarnRewards: event bounties and channel pools in one contract, each campaign with its own ledger.
 * The constructor grants DEFAULT_ADMIN_ROLE to `admin`, PUBLISHER_ROLE to `publisher` and GUARDIAN_ROLE
 * to `guardian`.
 *
 * Parameters (module id "Like2EarnRewards"; times in seconds):
 * - `admin`, `publisher`, `guardian`: role holders (default: the node's accounts #0, #1, #2).
 * - `challengePeriod`: posting a root → claimable (default 1 day; 0 is allowed for local demos).
 * - `publishDeadline`: event end → the brand may take a refund if no root is live (default 14 days).
 * - `rateChangeNotice`: channel rate announcement → effective (default 3 days).
 * - `closeNotice`: channel close announcement → closed (default 7 days).
 * - `minClaimWindow`: the least claim window an event may be created with (default 7 days).
 * Each campaign copies these when it is created; the admin's later `setParameters` only affects new ones.
 */
export default buildModule("Like2EarnRewards", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const publisher = m.getParameter("publisher", m.getAccount(1));
  const guardian = m.getParameter("guardian", m.getAccount(2));
  const challengePeriod = m.getParameter<number>("challengePeriod", 24 * 3600);
  const publishDeadline = m.getParameter<number>("publishDeadline", 14 * 24 * 3600);
  const rateChangeNotice = m.getParameter<number>("rateChangeNotice", 3 * 24 * 3600);
  const closeNotice = m.getParameter<number>("closeNotice", 7 * 24 * 3600);
  const minClaimWindow = m.getParameter<number>("minClaimWindow", 7 * 24 * 3600);

  const rewards = m.contract("Like2EarnRewards", [
    admin,
    publisher,
    guardian,
    challengePeriod,
    publishDeadline,
    rateChangeNotice,
    closeNotice,
    minClaimWindow,
  ]);
  return { rewards };
});
