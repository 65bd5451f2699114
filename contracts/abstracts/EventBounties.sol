// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import { BitMaps } from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import { IEventBounties } from "../interfaces/IEventBounties.sol";
import { Errors } from "../libraries/Errors.sol";
import { EventBounty, PostedRoot } from "../types/DataTypes.sol";
import { RewardsBase } from "./RewardsBase.sol";

/// @title EventBounties
/// @notice Event bounties, each with its own ledger; see {IEventBounties}.
/// @dev Storage is laid out for the claim path, which touches three cold slots besides the payment: the
/// pause flag, one bitmap word, and the root's ledger slot. The ledger slot is keyed by the root itself
/// (`_rootLedgers[root]`) and packs the owning event id, `remaining` (the root's total minus what it paid),
/// claimableAt, the claim window and the token flag. A claim computes the root from its leaf and proof
/// (OpenZeppelin `processProofCalldata`, the body of `verifyCalldata`) and loads that root's ledger: a ledger
/// that names this event proves the leaf is in this event's live root, because an event has at most one
/// registered root (a veto deletes it before another can be posted) and a root is never registered twice.
/// So the root is never loaded on its own, and the one slot a claim writes anyway also enforces "never more
/// than the root's total". `claimed` is derived as `total − remaining`.
abstract contract EventBounties is RewardsBase, IEventBounties {
    using BitMaps for BitMaps.BitMap;

    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The ledger of a posted, non-vetoed root, in one slot (256 bits); all an ETH claim reads besides
    /// the pause flag and a bitmap word.
    struct RootLedger {
        uint40 eventId; // the owning event; 0 = no such root
        uint128 remaining; // token wei the root may still pay: its total − what it paid
        uint40 claimableAt; // Unix timestamp
        uint40 claimWindow; // seconds
        bool isToken; // the event's token != address(0)
    }

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
        uint40 publishDeadline; // Unix timestamp
        uint40 claimableAt; // Unix timestamp of the latest posted root; 0 while none
        bool vetoed;
        bool settled;
        // slot 3
        uint128 funded;
        uint128 total; // total of the latest posted root
        // slot 4 (104 bits)
        uint40 claimWindow;
        uint64 recipientCount;
        // slot 5: one bit per leaf index
        BitMaps.BitMap claims;
    }

    /// @dev Bit offsets of the {RootLedger} fields in its slot (see {_loadLedger}).
    uint256 private constant _REMAINING_SHIFT = 40;
    uint256 private constant _CLAIMABLE_AT_SHIFT = 168;
    uint256 private constant _CLAIM_WINDOW_SHIFT = 208;
    uint256 private constant _IS_TOKEN_SHIFT = 248;

    mapping(uint256 eventId => EventStorage) private _events;

    mapping(bytes32 root => RootLedger) private _rootLedgers;

    uint256 private _eventCount;

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEventBounties
    function eventCount() external view override returns (uint256) {
        return _eventCount;
    }

    /// @inheritdoc IEventBounties
    /// @dev `total`, `claimed` and `recipientCount` are 0 until the root is live (past its challenge period,
    /// not vetoed), as documented in {EventBounty}. An unknown id returns an all-zero struct.
    function getEventBounty(uint256 eventId) external view override returns (EventBounty memory) {
        return _getEvent(eventId);
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
        uint256 deadline = uint256(end) + publishDeadline();
        if (start >= end || end <= block.timestamp || deadline > type(uint40).max) {
            revert Errors.EventBounties_InvalidPeriod(start, end, block.timestamp);
        }
        if (claimWindow == 0) revert Errors.EventBounties_ZeroClaimWindow();
        if (amount == 0) revert Errors.RewardsBase_ZeroAmount();
        uint128 funded = _toUint128(amount);

        // Effect
        eventId = ++_eventCount;
        EventStorage storage e = _events[eventId];
        e.token = token;
        e.start = start;
        e.end = end;
        e.brand = msg.sender;
        e.publishDeadline = uint40(deadline);
        e.funded = funded;
        e.claimWindow = claimWindow;
        emit EventCreated(eventId, msg.sender, token, start, end, claimWindow, uint40(deadline), amount, metadataURI);

        // Interaction
        _pullFunds(token, amount);
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
        _pullFunds(e.token, amount);
    }

    /// @inheritdoc IEventBounties
    /// @dev Also reverts with {Errors.EventBounties_RootInUse} if `root` was ever registered (for any event).
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
        RootLedger storage ledger = _rootLedgers[root];
        if (ledger.eventId != 0 || root == e.root) revert Errors.EventBounties_RootInUse(root);
        if (total > e.funded) revert Errors.EventBounties_TotalExceedsPot(eventId, total, e.funded);
        if (recipientCount > type(uint64).max) {
            revert Errors.RewardsBase_AmountOverflow(recipientCount, type(uint64).max);
        }
        // The root must be able to go live by the deadline, so that "no non-vetoed root" is the whole refund
        // rule: a root that is not vetoed is always live by then.
        uint256 claimableAt = block.timestamp + challengePeriod();
        if (claimableAt > e.publishDeadline) {
            revert Errors.EventBounties_PublishDeadlineTooClose(eventId, claimableAt, e.publishDeadline);
        }

        // Effect: total ≤ funded < 2^128 and claimableAt ≤ publishDeadline < 2^40, so the casts are exact.
        e.root = root;
        e.claimableAt = uint40(claimableAt);
        e.vetoed = false;
        e.total = uint128(total);
        e.recipientCount = uint64(recipientCount);
        _rootLedgers[root] = RootLedger({
            eventId: SafeCast.toUint40(eventId),
            remaining: uint128(total),
            claimableAt: uint40(claimableAt),
            claimWindow: e.claimWindow,
            isToken: e.token != address(0)
        });
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
        _requireClaimsNotPaused();
        _claimEvent(eventId, index, account, amount, account, proof, true);
    }

    /// @inheritdoc IEventBounties
    function claimEventTo(
        uint256 eventId,
        uint256 index,
        uint256 amount,
        address recipient,
        bytes32[] calldata proof
    ) external override nonReentrant {
        _requireClaimsNotPaused();
        if (recipient == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        _claimEvent(eventId, index, msg.sender, amount, recipient, proof, true);
    }

    /// @inheritdoc IEventBounties
    function refundEvent(uint256 eventId) external override nonReentrant {
        // Check
        EventStorage storage e = _events[eventId];
        address brand = e.brand;
        if (msg.sender != brand) revert Errors.EventBounties_NotBrand(eventId, msg.sender);
        if (e.settled) revert Errors.EventBounties_Settled(eventId);
        if (block.timestamp <= e.publishDeadline) {
            revert Errors.EventBounties_RefundNotYetAvailable(eventId, e.publishDeadline);
        }
        // Publishing refuses a root that could not be live by the deadline and a veto is only possible
        // before a root goes live, so "no non-vetoed root" is the whole rule.
        if (e.root != bytes32(0) && !e.vetoed) revert Errors.EventBounties_RootPosted(eventId, e.root);

        // Effect
        e.settled = true;
        uint256 amount = e.funded;
        emit EventRefunded(eventId, brand, amount);

        // Interaction
        _send(e.token, brand, amount);
    }

    /// @inheritdoc IEventBounties
    function withdrawUnclaimed(uint256 eventId) external override nonReentrant {
        // Check
        EventStorage storage e = _events[eventId];
        address brand = e.brand;
        if (msg.sender != brand) revert Errors.EventBounties_NotBrand(eventId, msg.sender);
        if (e.settled) revert Errors.EventBounties_Settled(eventId);
        if (e.root == bytes32(0) || e.vetoed) revert Errors.EventBounties_NoLiveRoot(eventId);
        uint256 closesAt = uint256(e.claimableAt) + e.claimWindow;
        if (block.timestamp < closesAt) revert Errors.EventBounties_ClaimWindowOpen(eventId, closesAt);

        // Effect: paid = total − remaining ≤ total ≤ funded. Claims are closed for good (window over).
        e.settled = true;
        uint256 amount = uint256(e.funded) - (e.total - _rootLedgers[e.root].remaining);
        emit EventUnclaimedWithdrawn(eventId, brand, amount);

        // Interaction
        if (amount != 0) _send(e.token, brand, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Claims one leaf for `account`, paying `recipient`. Reverts on a hard failure (no live root, window
    /// closed, invalid proof). On a soft failure (already claimed, zero amount, root total exhausted, payment
    /// rejected) reverts too when `revertOnSkip`, else returns the skip reason with no state changed.
    /// Callers hold the reentrancy guard and have checked the pause.
    /// @return skipReason {SKIP_NONE} when paid, else a {BatchItemSkipped} reason.
    function _claimEvent(
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount,
        address recipient,
        bytes32[] calldata proof,
        bool revertOnSkip
    ) internal returns (uint8 skipReason) {
        EventStorage storage e = _events[eventId];

        // Check: the leaf was not claimed yet and pays something. The bitmap word is read once here and written
        // once below (what BitMaps.get + set do, without hashing and loading the slot twice).
        uint256 bits = e.claims._data[index >> 8];
        if (bits & (1 << (index & 0xff)) != 0) {
            if (revertOnSkip) revert Errors.EventBounties_AlreadyClaimed(eventId, index);
            return SKIP_NOTHING_OWED;
        }
        if (amount == 0) {
            if (revertOnSkip) revert Errors.EventBounties_NothingToClaim(eventId, index);
            return SKIP_NOTHING_OWED;
        }

        // Check: the leaf (bound to this event; double-hashed as in StandardMerkleTree, so a 64-byte internal
        // node can never pass as a leaf) leads to a registered root of this event. That is
        // `MerkleProof.verifyCalldata(proof, e.root, leaf)` with `e.root` non-vetoed (see the contract @dev).
        RootLedger storage ledger;
        {
            bytes32 leaf = _eventLeaf(eventId, index, account, amount);
            ledger = _rootLedgers[MerkleProof.processProofCalldata(proof, leaf)];
        }
        uint256 word = _loadLedger(ledger);
        // An unregistered root has an all-zero ledger; event ids start at 1, so eventId 0 never matches.
        if (uint40(word) != eventId || eventId == 0) _revertNoRootOrInvalidProof(e, eventId, index, account, amount);

        // Check: the root is past its challenge period and its claim window is open.
        _requireClaimable(word, eventId);

        // Check: the event never pays beyond its root's total (a faulty root cannot drain other campaigns).
        if (amount > uint128(word >> _REMAINING_SHIFT)) {
            if (revertOnSkip) {
                revert Errors.EventBounties_ClaimExceedsTotal(eventId, amount, uint128(word >> _REMAINING_SHIFT));
            }
            return SKIP_POOL_EMPTY;
        }

        // Effect
        e.claims._data[index >> 8] = bits | (1 << (index & 0xff));
        // unchecked: amount ≤ remaining (checked above), so subtracting it from the `remaining` field in place
        // neither underflows nor borrows from the fields above it.
        unchecked {
            _storeLedger(ledger, word - (amount << _REMAINING_SHIFT));
        }

        // Interaction
        if (!_trySend(word >> _IS_TOKEN_SHIFT != 0 ? e.token : address(0), recipient, amount)) {
            if (revertOnSkip) revert Errors.RewardsBase_PaymentFailed(e.token, recipient, amount);
            // Undo this item's effects: the guard blocked re-entry, and a failed call reverted whatever its
            // callee did, so nothing else changed meanwhile.
            e.claims._data[index >> 8] = bits;
            _storeLedger(ledger, word);
            return SKIP_PAYMENT_REJECTED;
        }
        emit EventClaimed(eventId, index, account, recipient, amount);
        return SKIP_NONE;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev See {getEventBounty}: `total`, `claimed` and `recipientCount` are 0 until the root is live.
    function _getEvent(uint256 eventId) private view returns (EventBounty memory bounty) {
        EventStorage storage e = _events[eventId];
        bounty.brand = e.brand;
        bounty.token = e.token;
        bounty.start = e.start;
        bounty.end = e.end;
        bounty.claimWindow = e.claimWindow;
        bounty.publishDeadline = e.publishDeadline;
        bounty.funded = e.funded;
        bounty.settled = e.settled;
        if (e.claimableAt != 0 && !e.vetoed && block.timestamp >= e.claimableAt) {
            bounty.total = e.total;
            bounty.claimed = e.total - _rootLedgers[e.root].remaining;
            bounty.recipientCount = e.recipientCount;
        }
    }

    /// @dev The whole {RootLedger} slot as one word, in Solidity's packing order (first member in the lowest
    /// bits): eventId [0, 40) | remaining [40, 168) | claimableAt [168, 208) | claimWindow [208, 248) |
    /// isToken [248, 256). One SLOAD, without copying the struct to memory.
    function _loadLedger(RootLedger storage ledger) private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(ledger.slot)
        }
    }

    /// @dev Writes the whole {RootLedger} slot (see {_loadLedger}); one SSTORE, no read-modify-write.
    function _storeLedger(RootLedger storage ledger, uint256 word) private {
        assembly ("memory-safe") {
            sstore(ledger.slot, word)
        }
    }

    /// @dev Reverts unless the root of the ledger `word` is past its challenge period and in its claim window.
    function _requireClaimable(uint256 word, uint256 eventId) private view {
        uint256 claimableAt = uint40(word >> _CLAIMABLE_AT_SHIFT);
        if (block.timestamp < claimableAt) revert Errors.EventBounties_RootInChallenge(eventId, uint40(claimableAt));
        uint256 closesAt;
        // unchecked: the sum of two 40-bit values cannot overflow.
        unchecked {
            closesAt = claimableAt + uint40(word >> _CLAIM_WINDOW_SHIFT);
        }
        if (block.timestamp >= closesAt) revert Errors.EventBounties_ClaimWindowClosed(eventId, closesAt);
    }

    /// @dev The OpenZeppelin standard leaf `keccak256(bytes.concat(keccak256(abi.encode(eventId, index, account,
    /// amount))))`, hashed in scratch memory: the four words go at the free-memory pointer without moving it
    /// (the region is reused freely afterwards), the inner hash at 0x00.
    function _eventLeaf(
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount
    ) private pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, eventId)
            mstore(add(ptr, 0x20), index)
            mstore(add(ptr, 0x40), and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x60), amount)
            mstore(0x00, keccak256(ptr, 0x80))
            leaf := keccak256(0x00, 0x20)
        }
    }

    /// @dev The leaf's computed root is not a registered root of this event: tell "no live root" (none
    /// posted, or vetoed) from "invalid proof". Only runs on the failure path.
    function _revertNoRootOrInvalidProof(
        EventStorage storage e,
        uint256 eventId,
        uint256 index,
        address account,
        uint256 amount
    ) private view {
        if (e.root == bytes32(0) || e.vetoed) revert Errors.EventBounties_NoLiveRoot(eventId);
        revert Errors.EventBounties_InvalidProof(eventId, index, account, amount);
    }
}
