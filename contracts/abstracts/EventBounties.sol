// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import { BitMaps } from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import { IEventBounties } from "../interfaces/IEventBounties.sol";
import { Errors } from "../libraries/Errors.sol";
import { MerkleLeaves } from "../libraries/MerkleLeaves.sol";
import { RootLedgers } from "../libraries/RootLedgers.sol";
import { CampaignKind, EventBounty, Parameters, PostedRoot, SkipReason } from "../types/DataTypes.sol";
import { RewardsBase } from "./RewardsBase.sol";

/// @title EventBounties
/// @notice Event bounties, each with its own ledger; see {IEventBounties}.
/// @dev Storage is laid out for the claim path, which touches three cold slots besides the payment: the
/// pause slot (which also holds the claim clock), one bitmap word, and the root's ledger slot. The ledger slot
/// is keyed by the root itself (`_rootLedgers[root]`, packing owned by {RootLedgers}) and holds the owning
/// event id, `remaining` (the root's total minus what it paid), claimableAt, the claim-window end on the
/// claim clock and the token flag. A claim computes the root from its leaf and proof ({MerkleLeaves.rootOf}:
/// OpenZeppelin's `processProofCalldata`, the body of `verifyCalldata`, in assembly) and loads that root's
/// ledger: a ledger that names this event proves the leaf is in this event's live root, because an event has
/// at most one registered root (a veto deletes it before another can be posted) and a root is never registered
/// twice at once. So the root is never loaded on its own, and the one slot a claim writes anyway also enforces
/// "never more than the root's total". `claimed` is derived as `total − remaining`.
abstract contract EventBounties is RewardsBase, IEventBounties {
    using BitMaps for BitMaps.BitMap;
    using RootLedgers for RootLedgers.RootLedger;

    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One event; slot comments give the packing. Not read by ETH claims except its bitmap.
    struct EventStorage {
        // slot 0
        bytes32 root; // latest posted root (vetoed or not)
        // slot 1 (240 bits)
        address token;
        uint40 start;
        uint40 end;
        // slot 2 (256 bits)
        address brand;
        uint40 rootDeadline; // Unix timestamp: no live root by then → refund
        uint40 claimableAt; // Unix timestamp of the latest posted root; 0 while none
        bool vetoed;
        bool settled;
        // slot 3
        uint128 funded;
        uint128 total; // total of the latest posted root
        // slot 4 (144 bits)
        uint40 claimWindow;
        uint64 recipientCount;
        uint40 challengePeriod; // copied from the parameters at creation
        // slot 5: one bit per leaf index
        BitMaps.BitMap claims;
    }

    mapping(uint256 eventId => EventStorage) private _events;

    mapping(bytes32 root => RootLedgers.RootLedger) private _rootLedgers;

    uint256 private _eventCount;

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEventBounties
    function eventCount() external view override returns (uint256) {
        return _eventCount;
    }

    /// @inheritdoc IEventBounties
    /// @dev `total`, `claimed`, `recipientCount` and `claimsCloseAt` are 0 until the root is live (past its
    /// challenge period, not vetoed), as documented in {EventBounty}. An unknown id returns an all-zero struct.
    function getEventBounty(uint256 eventId) external view override returns (EventBounty memory bounty) {
        EventStorage storage e = _events[eventId];
        bounty.brand = e.brand;
        bounty.token = e.token;
        bounty.start = e.start;
        bounty.end = e.end;
        bounty.claimWindow = e.claimWindow;
        bounty.rootDeadline = e.rootDeadline;
        bounty.funded = e.funded;
        bounty.settled = e.settled;
        bounty.challengePeriod = e.challengePeriod;
        if (e.claimableAt != 0 && !e.vetoed && block.timestamp >= e.claimableAt) {
            uint256 word = _rootLedgers[e.root].load();
            bounty.total = e.total;
            bounty.claimed = e.total - uint128(RootLedgers.remainingOf(word));
            bounty.recipientCount = e.recipientCount;
            bounty.claimsCloseAt = _toUnix(RootLedgers.claimsCloseAtOf(word));
        }
    }

    /// @inheritdoc IEventBounties
    function getEventRoot(uint256 eventId) external view override returns (PostedRoot memory) {
        EventStorage storage e = _events[eventId];
        return PostedRoot({ root: e.root, claimableAt: e.claimableAt, vetoed: e.vetoed });
    }

    /// @inheritdoc IEventBounties
    function isEventClaimed(uint256 eventId, uint256 index) external view override returns (bool) {
        return _events[eventId].claims.get(index);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEventBounties
    function createEvent(
        address token,
        uint40 start,
        uint40 end,
        uint40 claimWindow,
        uint256 amount,
        string calldata metadataURI
    ) external payable override nonReentrant returns (uint256 eventId) {
        // Check
        Parameters memory p = _currentParameters();
        uint256 deadline = uint256(end) + p.publishDeadline;
        if (start >= end || end <= block.timestamp || deadline > type(uint40).max) {
            revert Errors.EventBounties_InvalidPeriod(start, end, block.timestamp);
        }
        if (claimWindow < p.minClaimWindow) revert Errors.EventBounties_ClaimWindowTooShort(claimWindow, p.minClaimWindow);
        if (amount == 0) revert Errors.RewardsBase_ZeroAmount();
        uint128 funded = _toUint128(amount);

        // Effect
        eventId = ++_eventCount;
        EventStorage storage e = _events[eventId];
        e.token = token;
        e.start = start;
        e.end = end;
        e.brand = msg.sender;
        e.rootDeadline = uint40(deadline);
        e.funded = funded;
        e.claimWindow = claimWindow;
        e.challengePeriod = p.challengePeriod;
        emit EventCreated(eventId, msg.sender, token, start, end, claimWindow, uint40(deadline), amount, metadataURI);

        // Interaction
        _pull(token, amount);
    }

    /// @inheritdoc IEventBounties
    function fundEvent(uint256 eventId, uint256 amount) external payable override nonReentrant {
        // Check
        EventStorage storage e = _events[eventId];
        if (e.brand == address(0)) revert Errors.EventBounties_UnknownEvent(eventId);
        if (block.timestamp >= e.end) revert Errors.EventBounties_Ended(eventId, e.end);
        if (amount == 0) revert Errors.RewardsBase_ZeroAmount();
        uint128 funded = _toUint128(uint256(e.funded) + _toUint128(amount));

        // Effect
        e.funded = funded;
        emit EventFunded(eventId, msg.sender, amount, funded);

        // Interaction
        _pull(e.token, amount);
    }

    /// @inheritdoc IEventBounties
    function publishEventRoot(
        uint256 eventId,
        bytes32 root,
        uint256 total,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external override onlyRole(PUBLISHER_ROLE) {
        // Check
        EventStorage storage e = _events[eventId];
        if (e.brand == address(0)) revert Errors.EventBounties_UnknownEvent(eventId);
        if (block.timestamp < e.end) revert Errors.EventBounties_NotEnded(eventId, e.end);
        if (e.settled) revert Errors.EventBounties_Settled(eventId);
        if (e.root != bytes32(0) && !e.vetoed) revert Errors.EventBounties_RootAlreadyPosted(eventId, e.root);
        if (root == bytes32(0)) revert Errors.EventBounties_ZeroRoot(eventId);
        RootLedgers.RootLedger storage ledger = _rootLedgers[root];
        // Registered now (for any event), or this event's own vetoed root: refused.
        if (ledger.eventId != 0 || root == e.root) revert Errors.EventBounties_RootInUse(root);
        if (total > e.funded) revert Errors.EventBounties_TotalExceedsPot(eventId, total, e.funded);
        if (recipientCount > type(uint64).max) {
            revert Errors.RewardsBase_AmountOverflow(recipientCount, type(uint64).max);
        }
        // The root must be able to go live by the deadline, so that "no non-vetoed root" is the whole refund
        // rule: a root that is not vetoed is always live by then.
        uint256 claimableAt = block.timestamp + e.challengePeriod;
        if (claimableAt > e.rootDeadline) {
            revert Errors.EventBounties_PublishDeadlineTooClose(eventId, claimableAt, e.rootDeadline);
        }
        // The window closes claimWindow after the challenge period on the claim clock: any time claims spend
        // paused from now on moves it later.
        // A window reaching past 2^40 − 1 (year 36812) is clamped to it: as good as never closing.
        uint256 claimsCloseAt = _claimClockNow() + e.challengePeriod + e.claimWindow;
        if (claimsCloseAt > type(uint40).max) claimsCloseAt = type(uint40).max;

        // Effect: total ≤ funded < 2^128 and claimableAt ≤ rootDeadline < 2^40, so the casts are exact.
        e.root = root;
        e.claimableAt = uint40(claimableAt);
        e.vetoed = false;
        e.total = uint128(total);
        e.recipientCount = uint64(recipientCount);
        ledger.store(
            RootLedgers.pack(
                SafeCast.toUint40(eventId),
                total,
                claimableAt,
                claimsCloseAt,
                e.token != address(0)
            )
        );
        emit EventRootPosted(eventId, root, total, recipientCount, manifestHash, uint40(claimableAt));
    }

    /// @inheritdoc IEventBounties
    function vetoEventRoot(uint256 eventId) external override {
        // Check
        EventStorage storage e = _events[eventId];
        if (msg.sender != e.brand && !hasRole(GUARDIAN_ROLE, msg.sender)) {
            revert Errors.EventBounties_NotBrandOrGuardian(eventId, msg.sender);
        }
        bytes32 root = e.root;
        if (root == bytes32(0) || e.vetoed) revert Errors.EventBounties_NoPendingRoot(eventId);
        if (block.timestamp >= e.claimableAt) revert Errors.EventBounties_ChallengePeriodOver(eventId, e.claimableAt);

        // Effect: nothing was paid (claims open only at claimableAt); the root's ledger is dropped, so no
        // claim can match it any more. `e.root` stays (vetoed) for the views and so it cannot be re-posted.
        e.vetoed = true;
        delete _rootLedgers[root];
        emit EventRootVetoed(eventId, root, msg.sender);
    }

    /// @inheritdoc IEventBounties
    function claimEvent(
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external override nonReentrant {
        _claimEvent(_claimClock(), eventId, index, account, amount, proof, account, 0, true);
    }

    /// @inheritdoc IEventBounties
    function claimEventTo(
        uint256 eventId,
        uint256 index,
        uint256 amount,
        address recipient,
        bytes32[] calldata proof
    ) external override nonReentrant {
        uint256 clock = _claimClock();
        if (recipient == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        _claimEvent(clock, eventId, index, msg.sender, amount, proof, recipient, 0, true);
    }

    /// @inheritdoc IEventBounties
    function refundEvent(uint256 eventId, address to) external override nonReentrant {
        // Check
        EventStorage storage e = _events[eventId];
        address brand = e.brand;
        if (msg.sender != brand) revert Errors.EventBounties_NotBrand(eventId, msg.sender);
        if (to == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        if (e.settled) revert Errors.EventBounties_Settled(eventId);
        if (block.timestamp <= e.rootDeadline) {
            revert Errors.EventBounties_RefundNotYetAvailable(eventId, e.rootDeadline);
        }
        // Publishing refuses a root that could not be live by the deadline and a veto is only possible
        // before a root goes live, so "no non-vetoed root" is the whole rule (and nobody has anything to claim).
        if (e.root != bytes32(0) && !e.vetoed) revert Errors.EventBounties_RootPosted(eventId, e.root);

        // Effect
        e.settled = true;
        uint256 amount = e.funded;
        emit EventRefunded(eventId, brand, to, amount);

        // Interaction
        _send(e.token, to, amount);
    }

    /// @inheritdoc IEventBounties
    function withdrawUnclaimed(uint256 eventId, address to) external override nonReentrant {
        // Check: never while paused (users could not claim), and only once the window (on the claim clock) closed.
        uint256 clock = _claimClock();
        EventStorage storage e = _events[eventId];
        address brand = e.brand;
        if (msg.sender != brand) revert Errors.EventBounties_NotBrand(eventId, msg.sender);
        if (to == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        if (e.settled) revert Errors.EventBounties_Settled(eventId);
        if (e.root == bytes32(0) || e.vetoed) revert Errors.EventBounties_NoLiveRoot(eventId);
        uint256 word = _rootLedgers[e.root].load();
        uint256 closesAt = RootLedgers.claimsCloseAtOf(word);
        if (clock < closesAt) revert Errors.EventBounties_ClaimWindowOpen(eventId, _toUnix(closesAt));

        // Effect: paid = total − remaining ≤ total ≤ funded. Claims are closed for good (window over).
        e.settled = true;
        uint256 amount = uint256(e.funded) - (e.total - RootLedgers.remainingOf(word));
        emit EventUnclaimedWithdrawn(eventId, brand, to, amount);

        // Interaction
        if (amount != 0) _send(e.token, to, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Claims one leaf for `account`: `amount − fee` to `recipient`, `fee` to msg.sender. Check step
    /// ({_checkEventLeaf}: the leaf is in a live root of this event, inside its window; hard failures revert),
    /// then pay step ({_payEventLeaf}). On a soft failure (already claimed, zero amount, root total exhausted,
    /// payment rejected or out of gas) reverts too when `revertOnSkip`, else returns the skip reason with no
    /// state changed. Callers hold the reentrancy guard and passed the claim clock (so the pause is checked).
    /// @return {SkipReason.None} when paid, else why the item was skipped.
    function _claimEvent(
        uint256 clock,
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof,
        address recipient,
        uint256 fee,
        bool revertOnSkip
    ) internal returns (SkipReason) {
        (RootLedgers.RootLedger storage ledger, uint256 word) = _checkEventLeaf(
            clock,
            eventId,
            index,
            account,
            amount,
            proof
        );
        return _payEventLeaf(ledger, word, eventId, index, account, amount, recipient, fee, revertOnSkip);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The check step: reverts unless the leaf (bound to this event; double-hashed as in
    /// StandardMerkleTree, so a 64-byte internal node can never pass as a leaf) leads to a registered root of
    /// this event (that is `MerkleProof.verifyCalldata(proof, e.root, leaf)` with `e.root` non-vetoed, as the
    /// contract notes explain), past its challenge period and inside its claim window. Returns the root's ledger.
    function _checkEventLeaf(
        uint256 clock,
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) private view returns (RootLedgers.RootLedger storage ledger, uint256 word) {
        if (account == address(0)) revert Errors.RewardsBase_ZeroAccount();
        ledger = _rootLedgers[MerkleLeaves.rootOf(proof, MerkleLeaves.eventLeaf(eventId, index, account, amount))];
        // One SLOAD; fields read with the layout constants of {RootLedgers} (inline: this is the claim path).
        assembly ("memory-safe") {
            word := sload(ledger.slot)
        }
        // An unregistered root has an all-zero ledger; event ids start at 1, so eventId 0 never matches.
        if (uint40(word) != eventId || eventId == 0) {
            _revertNoRootOrInvalidProof(eventId, index, account, amount);
        }
        uint256 claimableAt = uint40(word >> RootLedgers.CLAIMABLE_AT_SHIFT);
        if (block.timestamp < claimableAt) revert Errors.EventBounties_RootInChallenge(eventId, uint40(claimableAt));
        uint256 closesAt = uint40(word >> RootLedgers.CLAIMS_CLOSE_AT_SHIFT);
        if (clock >= closesAt) revert Errors.EventBounties_ClaimWindowClosed(eventId, _toUnix(closesAt));
    }

    /// @dev The pay step, once the leaf is proven: one bit in the bitmap, the amount off the root's remaining
    /// total, then the payouts; a rejected payout undoes both (or reverts when `revertOnSkip`).
    // solhint-disable-next-line function-max-lines
    function _payEventLeaf(
        RootLedgers.RootLedger storage ledger,
        uint256 word,
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        address recipient,
        uint256 fee,
        bool revertOnSkip
    ) private returns (SkipReason reason) {
        EventStorage storage e = _events[eventId];

        // Check: the leaf was not claimed yet and pays something. The bitmap word is read once here and written
        // once below (what BitMaps.get + set do, without hashing and loading the slot twice).
        uint256 bits = e.claims._data[index >> 8];
        if (bits & (1 << (index & 0xff)) != 0) {
            if (revertOnSkip) revert Errors.EventBounties_AlreadyClaimed(eventId, index);
            return SkipReason.NothingOwed;
        }
        if (amount == 0) {
            if (revertOnSkip) revert Errors.EventBounties_NothingToClaim(eventId, index);
            return SkipReason.NothingOwed;
        }
        // Check: the event never pays beyond its root's total (a faulty root cannot drain other campaigns).
        if (amount > uint128(word >> RootLedgers.REMAINING_SHIFT)) {
            if (revertOnSkip) {
                revert Errors.EventBounties_ClaimExceedsTotal(eventId, amount, uint128(word >> RootLedgers.REMAINING_SHIFT));
            }
            return SkipReason.PoolEmpty;
        }

        // Effect
        e.claims._data[index >> 8] = bits | (1 << (index & 0xff));
        // unchecked: amount ≤ remaining (checked above), so taking it from the field neither underflows nor borrows.
        unchecked {
            uint256 debited = word - (amount << RootLedgers.REMAINING_SHIFT);
            assembly ("memory-safe") {
                sstore(ledger.slot, debited)
            }
        }

        // Interaction
        address token = word >> RootLedgers.IS_TOKEN_SHIFT != 0 ? e.token : address(0);
        // unchecked: the callers checked fee ≤ amount.
        unchecked {
            reason = _trySend(token, recipient, amount - fee);
        }
        if (reason != SkipReason.None) {
            if (revertOnSkip) revert Errors.Funds_PaymentFailed(token, recipient, amount - fee);
            // Undo this item's effects: the guard blocked re-entry, and a failed call reverted whatever its
            // callee did, so nothing else changed meanwhile.
            e.claims._data[index >> 8] = bits;
            assembly ("memory-safe") {
                sstore(ledger.slot, word)
            }
            return reason;
        }
        emit EventClaimed(eventId, index, account, recipient, amount);
        if (fee != 0) {
            emit ClaimRelayed(CampaignKind.Event, eventId, account, msg.sender, fee);
            _send(token, msg.sender, fee);
        }
    }

    /// @dev The leaf's computed root is not a registered root of this event: tell "no live root" (none
    /// posted, or vetoed) from "invalid proof". Only runs on the failure path.
    function _revertNoRootOrInvalidProof(
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount
    ) private view {
        EventStorage storage e = _events[eventId];
        if (e.root == bytes32(0) || e.vetoed) revert Errors.EventBounties_NoLiveRoot(eventId);
        revert Errors.EventBounties_InvalidProof(eventId, index, account, amount);
    }
}
