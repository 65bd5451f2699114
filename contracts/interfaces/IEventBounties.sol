// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { EventBounty, PostedRoot } from "../types/DataTypes.sol";

/// @title IEventBounties
/// @notice Many event bounties in one contract, each with its own ledger: a pot funded by a brand and
/// shared by social score through a Merkle root posted after the event ends.
/// @dev Leaf: `keccak256(bytes.concat(keccak256(abi.encode(uint256 eventId, uint256 index, address account,
/// uint256 amount))))` (OpenZeppelin StandardMerkleTree). Amounts are token wei.
/// Warning: fee-on-transfer and rebasing (elastic-supply) ERC-20 tokens are not supported. Funding checks the
/// balance delta and reverts when less (or more) arrived than was sent, which refuses fee-on-transfer tokens
/// and tokens that rebase during the transfer; a token whose balances change later (rebasing, interest-bearing
/// balances, blocklists that freeze this contract) cannot be detected and its ledgers would no longer match
/// the balance: do not use one.
/// Claim window and pause: the window closes `claimWindow` seconds after the challenge period ends, plus all
/// the time claims spend paused from the root's posting on (see {IRewardsBase}); `getEventBounty(id).claimsCloseAt`
/// gives it as a Unix time.
interface IEventBounties {
    /// @notice Emitted when a brand creates an event.
    event EventCreated(
        uint256 indexed eventId,
        address indexed brand,
        address indexed token,
        uint40 start,
        uint40 end,
        uint40 claimWindow,
        uint40 rootDeadline,
        uint256 amount,
        string metadataURI
    );

    /// @notice Emitted when anyone tops up an event.
    event EventFunded(uint256 indexed eventId, address indexed funder, uint256 amount, uint256 funded);

    /// @notice Emitted when the publisher posts a root for an event.
    event EventRootPosted(
        uint256 indexed eventId,
        bytes32 root,
        uint256 total,
        uint256 recipientCount,
        bytes32 manifestHash,
        uint40 claimableAt
    );

    /// @notice Emitted when the brand or a guardian vetoes an event's root during its challenge period.
    event EventRootVetoed(uint256 indexed eventId, bytes32 root, address indexed by);

    /// @notice Emitted for each paid event claim.
    event EventClaimed(
        uint256 indexed eventId,
        uint256 index,
        address indexed account,
        address recipient,
        uint256 amount
    );

    /// @notice Emitted when the brand takes a refund (sent to `to`) because no root went live by the deadline.
    event EventRefunded(uint256 indexed eventId, address indexed brand, address to, uint256 amount);

    /// @notice Emitted when the brand withdraws (to `to`) what was not claimed once the claim window closed.
    event EventUnclaimedWithdrawn(uint256 indexed eventId, address indexed brand, address to, uint256 amount);

    /// @notice Creates an event and funds it with `amount` of `token` (ETH: send exactly `amount` as value).
    /// @dev Requirements: start < end; end > block.timestamp; claimWindow ≥ minClaimWindow; amount > 0; for ETH
    /// msg.value == amount; for an ERC-20 msg.value == 0 and the full amount arrives (no fee-on-transfer).
    /// Emits {EventCreated}.
    /// @return eventId The new event's id (ids start at 1).
    function createEvent(
        address token,
        uint40 start,
        uint40 end,
        uint40 claimWindow,
        uint256 amount,
        string calldata metadataURI
    ) external payable returns (uint256 eventId);

    /// @notice Adds `amount` to an event's pot. Anyone may top up an event before it ends.
    /// @dev Requirements: the event exists and has not ended; same token rules as {createEvent}.
    /// Emits {EventFunded}.
    function fundEvent(uint256 eventId, uint256 amount) external payable;

    /// @notice Posts the root of an ended event. It becomes claimable after the event's challenge period (the
    /// one it was created under).
    /// @dev Requirements: caller has PUBLISHER_ROLE; the event has ended and is not settled; no other
    /// non-vetoed root was posted; total ≤ funded; root != 0; the root must be able to go live by the
    /// event's root deadline (block.timestamp + challengePeriod ≤ rootDeadline). After a veto a new root may be
    /// posted, but never the vetoed root again (EventBounties_RootInUse); a root registered to any event right
    /// now is refused the same way, while another event's vetoed root is accepted (its leaves name that other
    /// event, so no claim can use it here). Emits {EventRootPosted}.
    function publishEventRoot(
        uint256 eventId,
        bytes32 root,
        uint256 total,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external;

    /// @notice Vetoes an event's root during its challenge period; a new root can then be posted.
    /// @dev Requirements: caller is the event's brand or has GUARDIAN_ROLE; a root is pending and its
    /// challenge period has not ended. Emits {EventRootVetoed}.
    function vetoEventRoot(uint256 eventId) external;

    /// @notice Pays a leaf's amount to its account. Anyone may trigger it: the amount and payee are fixed.
    /// @dev Requirements: claims not paused; account != 0; root live (past its challenge period, not vetoed);
    /// claim window open; leaf not claimed; proof valid; event total not exceeded; the payout arrives within
    /// its gas allowance (ETH_PAYOUT_GAS / TOKEN_PAYOUT_GAS). Emits {EventClaimed}.
    function claimEvent(
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external;

    /// @notice Pays the caller's leaf to `recipient` instead of the caller.
    /// @dev Same requirements as {claimEvent}, with account = msg.sender. Emits {EventClaimed}.
    function claimEventTo(
        uint256 eventId,
        uint256 index,
        uint256 amount,
        address recipient,
        bytes32[] calldata proof
    ) external;

    /// @notice Sends the whole pot to `to` (named by the brand) when no root went live by the root deadline.
    /// @dev Requirements: caller is the brand; to != 0; block.timestamp > rootDeadline; no non-vetoed root;
    /// not settled. Works while claims are paused (no one can claim anything). Emits {EventRefunded}.
    function refundEvent(uint256 eventId, address to) external;

    /// @notice Sends `to` (named by the brand) everything not claimed, once the claim window has closed.
    /// @dev Requirements: claims not paused; caller is the brand; to != 0; a root is live and its window
    /// (claimsCloseAt, extended by time spent paused) has closed; not settled. Emits {EventUnclaimedWithdrawn}.
    function withdrawUnclaimed(uint256 eventId, address to) external;

    /// @notice Number of events created so far (the last id).
    function eventCount() external view returns (uint256);

    /// @notice The event's configuration and ledger.
    /// @dev Named `getEventBounty`, not `getEvent`: ethers v6 contracts already have a `getEvent` (event lookup).
    function getEventBounty(uint256 eventId) external view returns (EventBounty memory);

    /// @notice The event's latest posted root (vetoed or not; check `vetoed` and `claimableAt`).
    function getEventRoot(uint256 eventId) external view returns (PostedRoot memory);

    /// @notice True once the leaf at `index` of the event was claimed.
    function isEventClaimed(uint256 eventId, uint256 index) external view returns (bool);
}
