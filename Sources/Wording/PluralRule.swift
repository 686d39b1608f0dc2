import Foundation

/// Which plural form a number takes in a language: the `Plural-Forms`
/// header of a gettext catalogue, `nplurals=2; plural=(n != 1);`.
///
/// The expression is C's, over one variable `n`: integers, `n`, the
/// operators `! * / % + - < > <= >= == != && || ?:` and parentheses, as
/// gettext and every translation tool write it. It is parsed once; a form
/// out of range counts as the last.
public struct PluralRule: Sendable, Equatable {
    /// How many forms the language has.
    public let count: Int
    private let expression: Expression

    /// English's rule: one form for 1, another for everything else.
    public static let english = PluralRule(count: 2, expression: .binary(.notEqual, .n, .number(1)))

    private init(count: Int, expression: Expression) {
        self.count = count
        self.expression = expression
    }

    /// Parses a `Plural-Forms` value.
    ///
    /// - Throws: ``PluralRule/ParseError`` saying what is wrong, at which character.
    public init(header text: String) throws(ParseError) {
        var count: Int?
        var expression: Expression?
        for part in text.split(separator: ";") {
            let field = part.split(separator: "=", maxSplits: 1)
            guard field.count == 2 else { continue }
            let name = field[0].trimmingCharacters(in: .whitespaces)
            let value = String(field[1])
            if name == "nplurals" {
                guard let number = Int(value.trimmingCharacters(in: .whitespaces)), (1...6).contains(number) else {
                    throw ParseError(message: "nplurals must be a number from 1 to 6", offset: 0)
                }
                count = number
            } else if name == "plural" {
                var parser = Parser(Array(value.utf8))
                expression = try parser.parseWhole()
            }
        }
        guard let count else { throw ParseError(message: "it has no nplurals=N", offset: 0) }
        guard let expression else { throw ParseError(message: "it has no plural=expression", offset: 0) }
        self.init(count: count, expression: expression)
    }

    /// The form (0 up to `count - 1`) that `n` takes.
    public func form(for n: Int) -> Int {
        max(0, min(count - 1, expression.value(n: n)))
    }

    /// Why a `Plural-Forms` value cannot be read.
    public struct ParseError: Error, Sendable, Equatable {
        /// What is wrong.
        public var message: String
        /// Where, in bytes from the start of the expression.
        public var offset: Int
    }

    indirect enum Expression: Sendable, Equatable {
        case n
        case number(Int)
        case not(Expression)
        case binary(Operator, Expression, Expression)
        case choice(Expression, Expression, Expression)

        func value(n: Int) -> Int {
            switch self {
            case .n: return n
            case .number(let value): return value
            case .not(let inner): return inner.value(n: n) == 0 ? 1 : 0
            case .choice(let test, let yes, let no): return test.value(n: n) != 0 ? yes.value(n: n) : no.value(n: n)
            case .binary(let op, let left, let right):
                let a = left.value(n: n)
                // && and || look at the right side only when they must, as C does.
                switch op {
                case .and: return a != 0 && right.value(n: n) != 0 ? 1 : 0
                case .or: return a != 0 || right.value(n: n) != 0 ? 1 : 0
                default: break
                }
                let b = right.value(n: n)
                switch op {
                case .multiply: return a &* b
                case .divide: return b == 0 ? 0 : a / b
                case .remainder: return b == 0 ? 0 : a % b
                case .add: return a &+ b
                case .subtract: return a &- b
                case .less: return a < b ? 1 : 0
                case .greater: return a > b ? 1 : 0
                case .lessOrEqual: return a <= b ? 1 : 0
                case .greaterOrEqual: return a >= b ? 1 : 0
                case .equal: return a == b ? 1 : 0
                case .notEqual: return a != b ? 1 : 0
                case .and, .or: return 0
                }
            }
        }
    }

    enum Operator: Sendable, Equatable {
        case multiply, divide, remainder, add, subtract, less, greater, lessOrEqual, greaterOrEqual, equal, notEqual
        case and, or
    }

    /// A recursive-descent parser for C's precedence levels.
    struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseWhole() throws(ParseError) -> Expression {
            let expression = try parseChoice()
            skipSpaces()
            guard index == bytes.count else { throw error("unexpected text after the expression") }
            return expression
        }

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
        }

        mutating func take(_ text: String) -> Bool {
            skipSpaces()
            let token = Array(text.utf8)
            guard index + token.count <= bytes.count, Array(bytes[index..<index + token.count]) == token else {
                return false
            }
            // "<" must not take the first half of "<=", nor "!" of "!=".
            if token.count == 1, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "="),
                "<>!=".utf8.contains(token[0])
            {
                return false
            }
            if token.count == 1, index + 1 < bytes.count, token[0] == bytes[index + 1], "&|".utf8.contains(token[0]) {
                return false
            }
            index += token.count
            return true
        }

        mutating func parseChoice() throws(ParseError) -> Expression {
            let test = try parseOr()
            guard take("?") else { return test }
            let yes = try parseChoice()
            guard take(":") else { throw error("a ? needs its :") }
            let no = try parseChoice()
            return .choice(test, yes, no)
        }

        mutating func parseOr() throws(ParseError) -> Expression {
            var left = try parseAnd()
            while take("||") { left = .binary(.or, left, try parseAnd()) }
            return left
        }

        mutating func parseAnd() throws(ParseError) -> Expression {
            var left = try parseEquality()
            while take("&&") { left = .binary(.and, left, try parseEquality()) }
            return left
        }

        mutating func parseEquality() throws(ParseError) -> Expression {
            var left = try parseRelation()
            while true {
                if take("==") {
                    left = .binary(.equal, left, try parseRelation())
                } else if take("!=") {
                    left = .binary(.notEqual, left, try parseRelation())
                } else {
                    return left
                }
            }
        }

        mutating func parseRelation() throws(ParseError) -> Expression {
            var left = try parseSum()
            while true {
                if take("<=") {
                    left = .binary(.lessOrEqual, left, try parseSum())
                } else if take(">=") {
                    left = .binary(.greaterOrEqual, left, try parseSum())
                } else if take("<") {
                    left = .binary(.less, left, try parseSum())
                } else if take(">") {
                    left = .binary(.greater, left, try parseSum())
                } else {
                    return left
                }
            }
        }

        mutating func parseSum() throws(ParseError) -> Expression {
            var left = try parseProduct()
            while true {
                if take("+") {
                    left = .binary(.add, left, try parseProduct())
                } else if take("-") {
                    left = .binary(.subtract, left, try parseProduct())
                } else {
                    return left
                }
            }
        }

        mutating func parseProduct() throws(ParseError) -> Expression {
            var left = try parseUnary()
            while true {
                if take("*") {
                    left = .binary(.multiply, left, try parseUnary())
                } else if take("/") {
                    left = .binary(.divide, left, try parseUnary())
                } else if take("%") {
                    left = .binary(.remainder, left, try parseUnary())
                } else {
                    return left
                }
            }
        }

        mutating func parseUnary() throws(ParseError) -> Expression {
            if take("!") { return .not(try parseUnary()) }
            skipSpaces()
            guard index < bytes.count else { throw error("the expression ends too soon") }
            if bytes[index] == UInt8(ascii: "(") {
                index += 1
                let inner = try parseChoice()
                guard take(")") else { throw error("a ( is never closed") }
                return inner
            }
            if bytes[index] == UInt8(ascii: "n") {
                index += 1
                return .n
            }
            var value = 0
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]), digits < 9 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                digits += 1
            }
            guard digits > 0 else { throw error("expected n, a number or (") }
            return .number(value)
        }
    }
}
