// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BlocklistERC20
/// @notice Unit-test token that reverts transfers to blocklisted addresses (as USDC does) so a test can make an
/// ERC-20 payout fail for one receiver. Anyone may mint and blocklist. Never deploy outside tests.
contract BlocklistERC20 is ERC20 {
    /// @notice Raised on a transfer to a blocklisted address.
    error BlocklistERC20_Blocked(address to);

    /// @notice True for addresses that cannot receive the token.
    mapping(address account => bool) public blocked;

    constructor() ERC20("Blocklist", "BLK") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blocks or unblocks `account` as a receiver.
    function setBlocked(address account, bool value) external {
        blocked[account] = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[to]) revert BlocklistERC20_Blocked(to);
        super._update(from, to, value);
    }
}
