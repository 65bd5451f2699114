// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import { Errors } from "./Errors.sol";

/// @title Funds
/// @notice The token in/out helpers of every Like2Earn contract (rewards and staking): exact pulls that
/// refuse fee-on-transfer tokens, and payouts that forward a bounded amount of gas and never copy more than
/// 32 bytes of return data, so no receiver can burn a caller's gas or bomb it with return data.
/// @dev Gas caps. ETH_PAYOUT_GAS (50,000) is what an ETH payout forwards to its receiver: a Safe's receive
/// (proxy fallback: one cold SLOAD of the singleton + a cold DELEGATECALL + the SafeReceived log, ~8,000) and
/// the ERC-1967-proxied smart accounts fit several times over, while a receiver that burns everything costs
/// a batch at most 50,000 per item. TOKEN_PAYOUT_GAS (100,000) is what an ERC-20 transfer forwards: an
/// OpenZeppelin ERC-20 to a new holder takes ~30,000, proxied stablecoins with blocklists ~45,000–60,000;
/// tokens whose transfer calls the recipient (ERC-777, ERC-1363 hooks) get what is left of the 100,000.
/// A payout is only attempted with enough gas left to forward its whole cap (else the transaction reverts
/// with {Errors.Funds_InsufficientGas}), so a caller cannot starve one payout on purpose to have it skipped.
library Funds {
    using SafeERC20 for IERC20;

    /// @notice Gas forwarded to the receiver of an ETH payout.
    uint256 internal constant ETH_PAYOUT_GAS = 50_000;

    /// @notice Gas forwarded to the token contract of an ERC-20 payout.
    uint256 internal constant TOKEN_PAYOUT_GAS = 100_000;

    /// @dev Result of {trySend}.
    enum Outcome {
        Sent,
        Rejected,
        OutOfGas
    }

    /// @dev Takes `amount` of `token` (address(0) = ETH) from msg.sender. ETH: msg.value must equal `amount`.
    /// ERC-20: msg.value must be 0 and exactly `amount` must arrive (balance delta), which refuses
    /// fee-on-transfer tokens and tokens that rebase during the transfer.
    function pull(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert Errors.Funds_ValueMismatch(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert Errors.Funds_ValueMismatch(0, msg.value);
        if (amount == 0) return;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert Errors.Funds_FeeOnTransfer(token, amount, received);
    }

    /// @dev Sends `amount` of `token` (address(0) = ETH) to `to` with a bounded amount of gas; never reverts
    /// on a rejecting receiver. ETH: a call with ETH_PAYOUT_GAS and no return-data copy. ERC-20: `transfer`
    /// with TOKEN_PAYOUT_GAS, accepted when it returns true or nothing (from a contract), as SafeERC20 does;
    /// only the first 32 bytes of return data are ever copied.
    function trySend(address token, address to, uint256 amount) internal returns (Outcome) {
        uint256 cap = token == address(0) ? ETH_PAYOUT_GAS : TOKEN_PAYOUT_GAS;
        // The callee gets min(cap, 63/64 of what is left): require enough that it gets the whole cap.
        uint256 before = gasleft();
        if (before < cap + cap / 63 + 5_000) revert Errors.Funds_InsufficientGas(cap, before);
        bool success;
        if (token == address(0)) {
            assembly ("memory-safe") {
                success := call(cap, to, amount, 0x00, 0x00, 0x00, 0x00)
            }
        } else {
            assembly ("memory-safe") {
                let ptr := mload(0x40)
                mstore(ptr, 0xa9059cbb00000000000000000000000000000000000000000000000000000000)
                mstore(add(ptr, 0x04), and(to, 0xffffffffffffffffffffffffffffffffffffffff))
                mstore(add(ptr, 0x24), amount)
                mstore(0x00, 0)
                success := call(cap, token, 0, ptr, 0x44, 0x00, 0x20)
                // true, or no return data from a contract (tokens that return nothing); the code-size check
                // only runs for the latter.
                if success {
                    switch returndatasize()
                    case 0 {
                        success := gt(extcodesize(token), 0)
                    }
                    default {
                        success := and(gt(returndatasize(), 31), eq(mload(0x00), 1))
                    }
                }
            }
        }
        if (success) return Outcome.Sent;
        // The callee used (about) all it was given: out of gas, not a plain rejection.
        return before - gasleft() >= cap ? Outcome.OutOfGas : Outcome.Rejected;
    }

    /// @dev As {trySend}, but reverts with {Errors.Funds_PaymentFailed} unless the payment arrived.
    function send(address token, address to, uint256 amount) internal {
        if (trySend(token, to, amount) != Outcome.Sent) revert Errors.Funds_PaymentFailed(token, to, amount);
    }
}
