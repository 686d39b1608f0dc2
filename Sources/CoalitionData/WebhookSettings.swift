/// The mail providers whose event webhooks `digest serve` answers
/// (`mail.webhooks`): each route answers 404 unless its provider is here.
public struct WebhookSettings: Sendable, Equatable {
    /// Where a value was written in `coalition.yaml`, for problems found
    /// when it is used (a key that does not load, a file that cannot be read).
    public struct Place: Sendable, Equatable {
        /// The file.
        public var file: String
        /// The line.
        public var line: Int
        /// The column.
        public var column: Int

        /// A place.
        public init(file: String = "coalition.yaml", line: Int = 1, column: Int = 1) {
            self.file = file
            self.line = line
            self.column = column
        }
    }

    /// Amazon SES through SNS: the topics whose notifications are taken.
    public struct SES: Sendable, Equatable {
        /// Topic ARNs, `arn:aws:sns:eu-west-1:123456789012:digest-events`.
        public var topics: [String]

        /// SES settings.
        public init(topics: [String]) { self.topics = topics }
    }

    /// Postmark: HTTP Basic credentials set on the webhook.
    public struct Postmark: Sendable, Equatable {
        /// The user name.
        public var user: String
        /// The file holding the password (its first line).
        public var passwordFile: String
        /// Where `password_file` is written.
        public var place: Place

        /// Postmark settings.
        public init(user: String, passwordFile: String, place: Place = Place()) {
            self.user = user
            self.passwordFile = passwordFile
            self.place = place
        }
    }

    /// SendGrid's signed Event Webhook.
    public struct SendGrid: Sendable, Equatable {
        /// The verification key as SendGrid shows it: base64 of the
        /// public key's DER (ECDSA P-256).
        public var verificationKey: String
        /// Where it is written.
        public var place: Place

        /// SendGrid settings.
        public init(verificationKey: String, place: Place = Place()) {
            self.verificationKey = verificationKey
            self.place = place
        }
    }

    /// Mailgun: the webhook signing key.
    public struct Mailgun: Sendable, Equatable {
        /// The file holding the HTTP webhook signing key.
        public var signingKeyFile: String
        /// Where `signing_key_file` is written.
        public var place: Place

        /// Mailgun settings.
        public init(signingKeyFile: String, place: Place = Place()) {
            self.signingKeyFile = signingKeyFile
            self.place = place
        }
    }

    /// `ses:`, when set.
    public var ses: SES?
    /// `postmark:`, when set.
    public var postmark: Postmark?
    /// `sendgrid:`, when set.
    public var sendgrid: SendGrid?
    /// `mailgun:`, when set.
    public var mailgun: Mailgun?

    /// Settings (tests make their own).
    public init(ses: SES? = nil, postmark: Postmark? = nil, sendgrid: SendGrid? = nil, mailgun: Mailgun? = nil) {
        self.ses = ses
        self.postmark = postmark
        self.sendgrid = sendgrid
        self.mailgun = mailgun
    }

    /// True when no provider is set.
    public var isEmpty: Bool { ses == nil && postmark == nil && sendgrid == nil && mailgun == nil }

    /// Whether `arn` is an SNS topic's ARN: `arn:aws:sns:REGION:ACCOUNT:NAME`
    /// (also in AWS's other partitions, `arn:aws-cn:…`).
    public static func isTopicARN(_ arn: String) -> Bool {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sns" else { return false }
        let region = parts[3]
        let account = parts[4]
        let name = parts[5]
        return !region.isEmpty && region.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && account.count == 12 && account.allSatisfy(\.isNumber)
            && (1...256).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
