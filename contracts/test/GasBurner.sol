// SPDX-License-Identifier: MIT
// Test helpers that belong together (a proxy and its implementation; the ETH and ERC-20 burners) share a file.
// solhint-disable-next-line one-contract-per-file
pragma solidity 0.8.28;

// solhint-disable one-contract-per-file, no-complex-fallback, no-empty-blocks

/// @title GasBurner
/// @notice Test receiver that burns every unit of gas it is given when it receives ETH (an endless loop),
/// or, with `bomb` set, reverts with 20 kB of return data (a return bomb the payer must not copy).
contract GasBurner {
    /// @notice When true, receiving reverts with a 20 kB revert payload instead of burning gas.
    bool public bomb;

    /// @notice Switches between burning gas and returning a revert bomb.
    function setBomb(bool bomb_) external {
        bomb = bomb_;
    }

    /// @notice Burns all gas (or reverts with 20 kB of return data).
    receive() external payable {
        if (bomb) {
            assembly ("memory-safe") {
                revert(0, 20000)
            }
        }
        for (;;) {}
    }

    /// @notice Any other call as this contract (e.g. create an event as a brand); bubbles up reverts.
    function forward(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{ value: msg.value }(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}

/// @title GasBurningToken
/// @notice Test ERC-20 (mintable) whose transfers to a flagged recipient burn all gas, as a token whose
/// recipient hook (ERC-777 / ERC-1363 style) calls a hostile receiver would.
contract GasBurningToken {
    /// @notice Balances.
    mapping(address => uint256) public balanceOf;
    /// @notice Allowances.
    mapping(address => mapping(address => uint256)) public allowance;
    /// @notice Recipients whose incoming transfers burn all gas.
    mapping(address => bool) public burns;

    /// @notice ERC-20 Transfer.
    event Transfer(address indexed from, address indexed to, uint256 value);

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    /// @notice Flags `who` as a recipient whose transfers burn all gas.
    function setBurns(address who, bool on) external {
        burns[who] = on;
    }

    /// @notice ERC-20 approve.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    /// @notice ERC-20 transfer; burns all gas when `to` is flagged.
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        if (burns[to]) for (;;) {}
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
