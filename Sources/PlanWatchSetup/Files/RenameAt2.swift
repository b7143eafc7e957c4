import Foundation

/// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does not export it. The
/// inbox moves with `RENAME_NOREPLACE` (a name taken meanwhile is never overwritten); the report swaps its new
/// folder in with `RENAME_EXCHANGE` (a reader sees the old report or the new one, never neither).
package enum RenameAt2 {
    package typealias Function =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    package static let noReplace: UInt32 = 1
    package static let exchange: UInt32 = 2

    package static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}
