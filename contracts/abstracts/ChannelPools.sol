// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import { IChannelPools } from "../interfaces/IChannelPools.sol";
import { Errors } from "../libraries/Errors.sol";
import { MerkleLeaves } from "../libraries/MerkleLeaves.sol";
import { CampaignKind, ChannelPool, Parameters, PostedRoot, SkipReason } from "../types/DataTypes.sol";
import {
    ChannelRoots,
    ChannelStorage,
    RECORD_EFFECTIVE_AT_SHIFT,
    RECORD_OPEN_END,
    RECORD_PENDING_RATE_SHIFT,
    RECORD_VALID_FROM_SHIFT,
    RECORD_VALID_UNTIL_SHIFT
} from "./ChannelRoots.sol";
import { RewardsBase } from "./RewardsBase.sol";

/// @title ChannelPools
/// @notice Perpetual pools converting cumulative score at a brand-set rate; see {IChannelPools}.
/// @dev Laid out for the claim path, which reads four cold slots: the pause slot (with the claim clock), the
/// channel's hot slot (balance | rate | closesAt | isToken), the proven root's record and the account's slot
/// (converted score | value carry); it writes the last two it read of the channel and the account.
///
/// Root records. A claim computes the root from its leaf and proof and loads `_rootRecords[root]`:
/// channelId [0, 40) | validFrom [40, 80) | validUntil [80, 120) | pendingRate [120, 200) |
/// rateEffectiveAt [200, 240). A root is claimable for channel `id` iff its record names `id` and
/// validFrom ≤ block.timestamp < validUntil. Posting root n+1 sets root n's validUntil to n+1's validFrom
/// (the end of its challenge period), so exactly one root is claimable at any time, the newest live one,
/// without a write when a root goes live. A veto deletes the vetoed record and gives the root before it an
/// open end again. The pending rate change lives in the records of the two newest roots (kept in step by
/// {announceRateChange}), so the claim reads it without another slot; a change that took effect is folded into
/// the hot slot's `rate` by the next announcement.
///
/// Epochs: the next root must carry exactly lastEpoch + 1, where lastEpoch is the newest root not vetoed; a
/// veto hands its epoch number back. So no sequence of posts and vetoes can freeze a channel.
///
/// Conversion without rounding loss: the account's slot keeps, besides its converted score, the fraction of
/// a wei its converted score was worth beyond what it was paid (a numerator over 1e18). A claim converts the
/// owed score at the current rate, adds that carry, pays the whole wei and keeps the new fraction; when the
/// pool is short it converts only the score the paid amount needs, rounded up. So any sequence of claims at
/// one rate pays exactly ⌊cumulativeScore · rate / 1e18⌋ in total, the same as one claim.
abstract contract ChannelPools is RewardsBase, IChannelPools {
    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/


    /// @dev Score is 18-decimal fixed point: `rate` token wei are paid per SCORE_UNIT of score.
    uint256 private constant SCORE_UNIT = 1e18;

    /// @dev Highest rate (token wei per 1e18 score): rates are stored in 80 bits.
    uint256 private constant MAX_RATE = type(uint80).max;

    /// @dev Highest cumulative score: converted scores are stored in 160 bits.
    uint256 private constant MAX_SCORE = type(uint160).max;

    // Hot slot: balance [0, 128) | rate [128, 208) | closesAt [208, 248) | isToken [248, 256).
    uint256 private constant _RATE_SHIFT = 128;
    uint256 private constant _CLOSES_AT_SHIFT = 208;
    uint256 private constant _IS_TOKEN_SHIFT = 248;


    // Account slot: converted [0, 160) | carry [160, 256).
    uint256 private constant _CARRY_SHIFT = 160;

    /// @dev Where a claim's payout goes: `recipient` gets it minus `fee`, msg.sender the fee; `revertOnSkip`
    /// turns a soft failure into a revert (single claims) instead of a skip (batches).
    // solhint-disable-next-line gas-struct-packing
    struct Payee {
        address recipient;
        uint256 fee;
        bool revertOnSkip;
    }

    /// @dev `signedEpoch` of an unsigned claim (no epoch to check).
    uint64 internal constant NO_EPOCH = type(uint64).max;

    /// @dev The root-book code (see {ChannelRoots}), deployed by the constructor, only ever delegatecalled.
    address private immutable _ROOT_BOOK = address(new ChannelRoots());

    mapping(uint256 channelId => ChannelStorage) private _channels;

    mapping(bytes32 root => uint256 record) private _rootRecords;

    uint256 private _channelCount;

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IChannelPools
    function channelCount() external view override returns (uint256) {
        return _channelCount;
    }

    /// @inheritdoc IChannelPools
    /// @dev A rate change whose effective time has come is shown as applied: `rate` is the new rate and
    /// `pendingRate` is 0. Times are Unix timestamps as they stand now. An unknown id returns an all-zero struct.
    function getChannel(uint256 channelId) external view override returns (ChannelPool memory pool) {
        ChannelStorage storage c = _channels[channelId];
        pool.brand = c.brand;
        pool.token = c.token;
        pool.rate = c.rate;
        pool.pendingRate = c.pendingRate;
        if (pool.pendingRate != 0) {
            if (_claimClockNow() >= c.rateEffectiveAt) {
                pool.rate = pool.pendingRate;
                pool.pendingRate = 0;
            } else {
                pool.rateEffectiveAt = _toUnix(c.rateEffectiveAt);
            }
        }
        pool.closesAt = _toUnix(c.closesAt);
        pool.balance = c.balance;
        pool.lastEpoch = c.lastEpoch;
        pool.withdrawn = c.withdrawn;
        pool.challengePeriod = c.challengePeriod;
        pool.rateChangeNotice = c.rateChangeNotice;
        pool.closeNotice = c.closeNotice;
    }

    /// @inheritdoc IChannelPools
    function currentRate(uint256 channelId) external view override returns (uint256) {
        return _currentRateNow(_channels[channelId]);
    }

    /// @inheritdoc IChannelPools
    function liveChannelRoot(uint256 channelId) external view override returns (PostedRoot memory root, uint64 epoch) {
        ChannelStorage storage c = _channels[channelId];
        bytes32 latest = c.latestRoot;
        if (latest != bytes32(0) && block.timestamp >= c.latestClaimableAt) {
            return (PostedRoot({ root: latest, claimableAt: c.latestClaimableAt, vetoed: false }), c.lastEpoch);
        }
        bytes32 previous = c.previousRoot;
        if (previous != bytes32(0)) {
            uint40 validFrom = uint40(_rootRecords[previous] >> RECORD_VALID_FROM_SHIFT);
            return (PostedRoot({ root: previous, claimableAt: validFrom, vetoed: false }), c.lastEpoch - 1);
        }
    }

    /// @inheritdoc IChannelPools
    function pendingChannelRoot(
        uint256 channelId
    ) external view override returns (PostedRoot memory root, uint64 epoch) {
        ChannelStorage storage c = _channels[channelId];
        if (block.timestamp < c.latestClaimableAt) {
            root = PostedRoot({ root: c.latestRoot, claimableAt: c.latestClaimableAt, vetoed: false });
            epoch = c.lastEpoch;
        }
    }

    /// @inheritdoc IChannelPools
    function convertedScore(uint256 channelId, address account) external view override returns (uint256) {
        return uint160(_channels[channelId].accounts[account]);
    }

    /// @inheritdoc IChannelPools
    /// @dev Returns (0, 0) when a claim would pay nothing (nothing owed or the pool empty).
    function previewChannelClaim(
        uint256 channelId,
        address account,
        uint256 cumulativeScore
    ) external view override returns (uint256 amount, uint256 scoreConverted) {
        ChannelStorage storage c = _channels[channelId];
        uint256 rate = _currentRateNow(c);
        uint256 word = c.accounts[account];
        if (cumulativeScore <= uint160(word) || rate == 0 || cumulativeScore > MAX_SCORE) return (0, 0);
        (amount, scoreConverted, ) = _quote(cumulativeScore - uint160(word), word >> _CARRY_SHIFT, c.balance, rate);
        if (amount == 0) return (0, 0);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IChannelPools
    function createChannel(
        address token,
        uint256 rate,
        uint256 amount,
        string calldata metadataURI
    ) external payable override nonReentrant returns (uint256 channelId) {
        // Check
        if (rate == 0) revert Errors.ChannelPools_ZeroRate();
        if (rate > MAX_RATE) revert Errors.RewardsBase_AmountOverflow(rate, MAX_RATE);
        uint128 balance = _toUint128(amount);
        Parameters memory p = _currentParameters();

        // Effect
        channelId = ++_channelCount;
        ChannelStorage storage c = _channels[channelId];
        c.balance = balance;
        c.rate = uint80(rate);
        c.isToken = token != address(0);
        c.token = token;
        c.challengePeriod = p.challengePeriod;
        c.rateChangeNotice = p.rateChangeNotice;
        c.brand = msg.sender;
        c.closeNotice = p.closeNotice;
        emit ChannelCreated(channelId, msg.sender, token, rate, amount, metadataURI);

        // Interaction
        _pull(token, amount);
    }

    /// @inheritdoc IChannelPools
    function fundChannel(uint256 channelId, uint256 amount) external payable override nonReentrant {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (c.brand == address(0)) revert Errors.ChannelPools_UnknownChannel(channelId);
        _requireNoClose(c, channelId);
        if (amount == 0) revert Errors.RewardsBase_ZeroAmount();
        uint128 balance = _toUint128(uint256(c.balance) + _toUint128(amount));

        // Effect
        c.balance = balance;
        emit ChannelFunded(channelId, msg.sender, amount, balance);

        // Interaction
        _pull(c.token, amount);
    }

    /// @inheritdoc IChannelPools
    function announceRateChange(uint256 channelId, uint256 newRate) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        _requireNoClose(c, channelId);
        if (newRate == 0) revert Errors.ChannelPools_ZeroRate();
        if (newRate > MAX_RATE) revert Errors.RewardsBase_AmountOverflow(newRate, MAX_RATE);

        // Effect: a change that already took effect becomes the rate before the next one is queued. The notice
        // runs on the claim clock, so a pause never shortens it.
        uint256 effectiveAt = abi.decode(
            _rootBook(abi.encodeCall(ChannelRoots.announceRate, (_slotOf(c), _recordsSlot(), newRate, _claimClockNow()))),
            (uint256)
        );
        emit ChannelRateChangeAnnounced(channelId, newRate, uint40(_toUnix(effectiveAt)));
    }

    /// @inheritdoc IChannelPools
    function announceClose(uint256 channelId) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        _requireNoClose(c, channelId);

        // Effect: the notice runs on the claim clock, so a pause never shortens it.
        uint256 closesAt = _claimClockNow() + c.closeNotice;
        c.closesAt = SafeCast.toUint40(closesAt);
        emit ChannelCloseAnnounced(channelId, uint40(_toUnix(closesAt)));
    }

    /// @inheritdoc IChannelPools
    function publishChannelRoot(
        uint256 channelId,
        uint64 epoch,
        bytes32 root,
        uint256 scoreTotal,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external override onlyRole(PUBLISHER_ROLE) {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (c.brand == address(0)) revert Errors.ChannelPools_UnknownChannel(channelId);
        _requireOpen(c, channelId, _claimClockNow());
        if (root == bytes32(0)) revert Errors.ChannelPools_ZeroRoot(channelId);
        uint256 claimableAt = abi.decode(
            _rootBook(abi.encodeCall(ChannelRoots.publish, (_slotOf(c), _recordsSlot(), channelId, epoch, root))),
            (uint256)
        );
        emit ChannelRootPosted(channelId, epoch, root, scoreTotal, recipientCount, manifestHash, uint40(claimableAt));
    }

    /// @inheritdoc IChannelPools
    function vetoChannelRoot(uint256 channelId) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (msg.sender != c.brand && !hasRole(GUARDIAN_ROLE, msg.sender)) {
            revert Errors.ChannelPools_NotBrandOrGuardian(channelId, msg.sender);
        }
        (bytes32 root, uint64 epoch) = abi.decode(
            _rootBook(abi.encodeCall(ChannelRoots.veto, (_slotOf(c), _recordsSlot(), channelId))),
            (bytes32, uint64)
        );
        emit ChannelRootVetoed(channelId, epoch, root, msg.sender);
    }

    /// @inheritdoc IChannelPools
    function claimChannel(
        uint256 channelId,
        uint256 cumulativeScore,
        bytes32[] calldata proof
    ) external override nonReentrant {
        _claimChannel(_claimClock(), channelId, msg.sender, cumulativeScore, proof, NO_EPOCH, Payee(msg.sender, 0, true));
    }

    /// @inheritdoc IChannelPools
    function claimChannelTo(
        uint256 channelId,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof
    ) external override nonReentrant {
        uint256 clock = _claimClock();
        if (recipient == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        _claimChannel(clock, channelId, msg.sender, cumulativeScore, proof, NO_EPOCH, Payee(recipient, 0, true));
    }

    /// @inheritdoc IChannelPools
    function withdrawChannel(uint256 channelId, address to) external override nonReentrant {
        // Check and effect (in the root book): never while paused (users could not claim), and only once the
        // close (claim clock) came.
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        if (to == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        uint256 amount = abi.decode(
            _rootBook(abi.encodeCall(ChannelRoots.settle, (_slotOf(c), channelId, _claimClock(), pausedTime()))),
            (uint256)
        );
        emit ChannelWithdrawn(channelId, msg.sender, to, amount);

        // Interaction
        if (amount != 0) _send(c.token, to, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Converts `account`'s unconverted score: `amount − fee` to `recipient`, `fee` to msg.sender (only
    /// when the claim converts everything owed; a partial payout takes no fee). Check step
    /// ({_checkChannelLeaf}: open, leaf in the claimable root, the signed epoch if any; hard failures revert),
    /// then pay step ({_convert}). On a soft failure (nothing owed, pool empty, payment rejected or out of gas)
    /// reverts too when `revertOnSkip`, else returns the skip reason with no state changed. Callers hold the
    /// reentrancy guard and passed the claim clock (so the pause is checked).
    /// @return {SkipReason.None} when paid, else why the item was skipped.
    function _claimChannel(
        uint256 clock,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        bytes32[] calldata proof,
        uint64 signedEpoch,
        Payee memory payee
    ) internal returns (SkipReason) {
        ChannelStorage storage c = _channels[channelId];
        (uint256 hot, uint256 rate) = _checkChannelLeaf(c, clock, channelId, account, cumulativeScore, proof, signedEpoch);
        return _convert(c, hot, rate, channelId, account, cumulativeScore, payee);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The check step. Reverts unless the channel is open (claims run until closesAt on the claim clock)
    /// and the leaf is in its claimable root (and, for a signed claim, that root's epoch is `signedEpoch`).
    /// Returns the hot slot and the rate in force.
    function _checkChannelLeaf(
        ChannelStorage storage c,
        uint256 clock,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        bytes32[] calldata proof,
        uint64 signedEpoch
    ) private view returns (uint256 hot, uint256 rate) {
        assembly ("memory-safe") {
            hot := sload(c.slot)
        }
        uint256 closesAt = uint40(hot >> _CLOSES_AT_SHIFT);
        if (closesAt != 0 && clock >= closesAt) revert Errors.ChannelPools_Closed(channelId, uint40(_toUnix(closesAt)));
        bytes32 root = MerkleLeaves.rootOf(proof, MerkleLeaves.channelLeaf(channelId, account, cumulativeScore));
        // An unregistered root has an all-zero record, whose validity window [0, 0) is empty: it never passes.
        uint256 record = _rootRecords[root];
        if (
            uint40(record) != channelId ||
            block.timestamp < uint40(record >> RECORD_VALID_FROM_SHIFT) ||
            block.timestamp >= uint40(record >> RECORD_VALID_UNTIL_SHIFT)
        ) _revertNoRootOrInvalidProof(c, channelId, account, cumulativeScore);
        if (signedEpoch != NO_EPOCH) {
            // The claimable root is the newest one (open end) or, while that is in challenge, the one before.
            uint64 epoch = uint40(record >> RECORD_VALID_UNTIL_SHIFT) == RECORD_OPEN_END ? c.lastEpoch : c.lastEpoch - 1;
            if (epoch != signedEpoch) revert Errors.ChannelPools_WrongEpoch(channelId, signedEpoch, epoch);
        }
        uint256 pendingRate = uint80(record >> RECORD_PENDING_RATE_SHIFT);
        rate = pendingRate != 0 && clock >= uint40(record >> RECORD_EFFECTIVE_AT_SHIFT)
            ? pendingRate
            : uint80(hot >> _RATE_SHIFT);
    }

    /// @dev The pay step, once the leaf is proven: converts and pays. (Kept in one piece: splitting it would
    /// re-read the slots it holds on the stack.)
    // solhint-disable-next-line function-max-lines
    function _convert(
        ChannelStorage storage c,
        uint256 hot,
        uint256 rate,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        Payee memory payee
    ) private returns (SkipReason reason) {
        bool revertOnSkip = payee.revertOnSkip;
        // Check: something owed, and a pool that can pay for at least part of it.
        uint256 word = c.accounts[account];
        uint256 converted = uint160(word);
        if (cumulativeScore <= converted) {
            if (revertOnSkip) revert Errors.ChannelPools_NothingOwed(channelId, account, cumulativeScore, converted);
            return SkipReason.NothingOwed;
        }
        if (cumulativeScore > MAX_SCORE) revert Errors.RewardsBase_AmountOverflow(cumulativeScore, MAX_SCORE);
        (uint256 amount, uint256 score, uint256 carry) = _quote(
            cumulativeScore - converted,
            word >> _CARRY_SHIFT,
            uint128(hot),
            rate
        );
        if (amount == 0) {
            // What is owed is worth less than 1 wei (kept for later), or the pool is empty.
            if (score == 0) {
                if (revertOnSkip) revert Errors.ChannelPools_PoolEmpty(channelId, uint128(hot));
                return SkipReason.PoolEmpty;
            }
            if (revertOnSkip) revert Errors.ChannelPools_NothingOwed(channelId, account, cumulativeScore, converted);
            return SkipReason.NothingOwed;
        }
        // A relayer's fee only on a claim that converts everything owed (so a signature is charged once).
        if (converted + score != cumulativeScore) payee.fee = 0;
        else if (payee.fee > amount) revert Errors.RewardsBase_FeeExceedsPayout(payee.fee, amount);
        // From here on `cumulativeScore` is the score left unconverted (for the log; saves a stack slot).
        // unchecked: converted + score ≤ cumulativeScore (see _quote).
        unchecked {
            cumulativeScore -= converted + score;
        }

        // Effect: converted + score ≤ cumulativeScore ≤ MAX_SCORE and carry < 2^96 (see _quote); amount ≤ balance.
        c.accounts[account] = (converted + score) | (carry << _CARRY_SHIFT);
        assembly ("memory-safe") {
            sstore(c.slot, sub(hot, amount))
        }

        // Interaction
        address token = hot >> _IS_TOKEN_SHIFT != 0 ? c.token : address(0);
        // unchecked: the callers checked fee ≤ amount whenever fee is not 0.
        unchecked {
            reason = _trySend(token, payee.recipient, amount - payee.fee);
        }
        if (reason != SkipReason.None) {
            if (revertOnSkip) revert Errors.Funds_PaymentFailed(token, payee.recipient, amount - payee.fee);
            // Undo this item's effects: the guard blocked re-entry, so nothing else changed meanwhile.
            c.accounts[account] = word;
            assembly ("memory-safe") {
                sstore(c.slot, hot)
            }
            return reason;
        }
        emit ChannelClaimed(channelId, account, payee.recipient, amount, score, cumulativeScore);
        if (payee.fee != 0) {
            emit ClaimRelayed(CampaignKind.Channel, channelId, account, msg.sender, payee.fee);
            _send(token, msg.sender, payee.fee);
        }
    }

    /// @dev Runs `data` (a {ChannelRoots} call) on this contract's storage; bubbles up its revert.
    function _rootBook(bytes memory data) private returns (bytes memory result) {
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = _ROOT_BOOK.delegatecall(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @dev The storage slot of a channel.
    function _slotOf(ChannelStorage storage c) private pure returns (uint256 slot) {
        assembly ("memory-safe") {
            slot := c.slot
        }
    }

    /// @dev The storage slot of the root-record mapping.
    function _recordsSlot() private pure returns (uint256 slot) {
        assembly ("memory-safe") {
            slot := _rootRecords.slot
        }
    }

    /// @dev Reverts unless msg.sender is the channel's brand (an unknown channel has no brand).
    function _requireBrand(ChannelStorage storage c, uint256 channelId) private view {
        if (msg.sender != c.brand) revert Errors.ChannelPools_NotBrand(channelId, msg.sender);
    }

    /// @dev Reverts once a close was announced.
    function _requireNoClose(ChannelStorage storage c, uint256 channelId) private view {
        if (c.closesAt != 0) revert Errors.ChannelPools_CloseAnnounced(channelId, uint40(_toUnix(c.closesAt)));
    }

    /// @dev Reverts once the channel closed (claim clock `clock`).
    function _requireOpen(ChannelStorage storage c, uint256 channelId, uint256 clock) private view {
        uint256 closesAt = c.closesAt;
        if (closesAt != 0 && clock >= closesAt) revert Errors.ChannelPools_Closed(channelId, uint40(_toUnix(closesAt)));
    }

    /// @dev The proven root is not this channel's claimable root: tell "no live root" from "invalid proof".
    function _revertNoRootOrInvalidProof(
        ChannelStorage storage c,
        uint256 channelId,
        address account,
        uint256 cumulativeScore
    ) private view {
        bytes32 latest = c.latestRoot;
        bool live = latest != bytes32(0) && (block.timestamp >= c.latestClaimableAt || c.previousRoot != bytes32(0));
        if (!live) revert Errors.ChannelPools_NoLiveRoot(channelId);
        revert Errors.ChannelPools_InvalidProof(channelId, account, cumulativeScore);
    }

    /// @dev The rate in force now (views).
    function _currentRateNow(ChannelStorage storage c) private view returns (uint256) {
        uint256 pendingRate = c.pendingRate;
        if (pendingRate != 0 && _claimClockNow() >= c.rateEffectiveAt) return pendingRate;
        return c.rate;
    }

    /// @dev What converting `owed` score at `rate`, with `carry` (a fraction of a wei, numerator over 1e18)
    /// from earlier claims, pays from `balance`, the score it converts and the new carry. When the whole value
    /// v = owed·rate + carry is at least 1 wei and ⌊v/1e18⌋ fits in the balance, converts all of it and keeps
    /// v mod 1e18. When it does not fit, pays the balance and converts only the score that needs,
    /// ⌈(balance·1e18 − carry)/rate⌉ ≤ owed, keeping the excess as carry (< rate). Returns amount 0 and score 0
    /// when the pool is empty, amount 0 and score owed when what is owed is worth less than 1 wei. `rate` > 0.
    function _quote(
        uint256 owed,
        uint256 carry,
        uint256 balance,
        uint256 rate
    ) private pure returns (uint256 amount, uint256 score, uint256 newCarry) {
        uint256 value = owed * rate + carry; // reverts on absurd scores (owed ≤ 2^160, rate < 2^80, carry < 2^96)
        amount = value / SCORE_UNIT;
        if (amount == 0) return (0, owed, carry);
        if (amount <= balance) return (amount, owed, value - amount * SCORE_UNIT);
        if (balance == 0) return (0, 0, carry);
        amount = balance;
        // unchecked: balance·1e18 < value < 2^241, and score·rate < needed + rate, so nothing overflows; the
        // carry alone may already cover the balance (needed = 0, nothing converted).
        unchecked {
            uint256 paid = balance * SCORE_UNIT;
            uint256 needed = paid > carry ? paid - carry : 0;
            score = (needed + rate - 1) / rate;
            newCarry = carry + score * rate - paid;
        }
    }
}
