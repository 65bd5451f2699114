// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { Funds } from "../libraries/Funds.sol";

/// @title FundsHarness
/// @notice Exposes {Funds.trySend} so tests can pin its outcome for each kind of token answer.
contract FundsHarness {
    /// @notice The outcome of the last {trySend}.
    Funds.Outcome public lastOutcome;

    /// @notice `Funds.trySend(token, to, amount)`; records the outcome (a call, not a view, as in a claim).
    function trySend(address token, address to, uint256 amount) external returns (Funds.Outcome outcome) {
        outcome = Funds.trySend(token, to, amount);
        lastOutcome = outcome;
    }

    /// @notice Accepts ETH to pay out.
    receive() external payable {}
}
