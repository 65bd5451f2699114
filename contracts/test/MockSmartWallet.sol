// SPDX-License-Identifier: MIT
// Test helpers that belong together (a proxy and its implementation; the ETH and ERC-20 burners) share a file.
// solhint-disable-next-line one-contract-per-file
pragma solidity 0.8.28;

// solhint-disable one-contract-per-file, no-complex-fallback, avoid-low-level-calls

import { ECDSA } from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import { IERC1271 } from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title MockSmartWallet
/// @notice Test contract wallet: EIP-1271 signatures by its owner key, and a Safe-like receive that reads
/// its configuration (a cold SLOAD), delegatecalls an implementation (a cold account) and logs the deposit,
/// as a Safe proxy's fallback does. Used to show the payout gas allowance is enough for real wallets.
contract MockSmartWallet is IERC1271 {
    /// @notice The key whose ECDSA signatures the wallet accepts.
    address public owner;
    /// @notice The "singleton" the receive delegatecalls (a Safe proxy's masterCopy).
    address public implementation;

    /// @notice The implementation reverted.
    error MockSmartWallet_ReceiveFailed();

    /// @notice Emitted on every ETH deposit (as Safe's SafeReceived).
    event Received(address indexed sender, uint256 value);

    constructor(address owner_) {
        owner = owner_;
        implementation = address(new MockSmartWalletImplementation());
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    /// @notice Safe-like deposit: delegatecall to the implementation, then log.
    receive() external payable {
        (bool ok, ) = implementation.delegatecall(abi.encodeWithSignature("onReceive()"));
        if (!ok) revert MockSmartWallet_ReceiveFailed();
        emit Received(msg.sender, msg.value);
    }
}

/// @title MockSmartWalletImplementation
/// @notice The delegatecalled part of {MockSmartWallet}'s receive (does nothing but exist and run).
contract MockSmartWalletImplementation {
    /// @notice Called by the wallet's receive.
    function onReceive() external payable returns (bool) {
        return true;
    }
}
