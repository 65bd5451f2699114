// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice Test token that burns 1% of every transfer between two non-zero addresses, so the receiver
/// gets less than was sent. Used to check that funding rejects fee-on-transfer tokens.
contract FeeOnTransferToken is ERC20 {
    /// @notice Fee in basis points (100 = 1%).
    uint256 public constant FEE_BPS = 100;

    constructor() ERC20("Fee On Transfer", "FOT") {}

    /// @notice Mints `amount` to `to` (no fee).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Transfers `value − fee` and burns the fee; mints and burns are fee-free.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * FEE_BPS) / 10_000;
        super._update(from, to, value - fee);
        if (fee != 0) super._update(from, address(0), fee);
    }
}
