import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/** The Cognito groups Spotcheck reads from `cognito:groups`, lowest privilege first. */
export const USER_GROUPS = ["reviewer", "manager", "admin"] as const;

/** Where Cognito sends the browser back with the authorization code. */
export const SIGN_IN_CALLBACK_PATH = "/auth/callback";

/** Where Cognito's logout endpoint sends the browser afterwards. */
export const SIGN_OUT_RETURN_PATH = "/review";

/** Properties of {@link Auth}. */
export interface AuthProps {
  /** Origin the web pages are served from (the HTTP API's endpoint, no trailing slash). */
  readonly appUrl: string;
  /** Prefix of the managed-login domain; unique per region across all accounts. */
  readonly domainPrefix: string;
  /**
   * What happens to the user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Deletion protection on the user pool.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * Who may use Spotcheck: a Cognito user pool with no self sign-up, the reviewer, manager and
 * admin groups, a `vendor` custom attribute (the `custom:vendor` claim) that only
 * administrators can set, TOTP MFA, Plus-tier threat protection, a managed-login domain,
 * and the web pages' public app client (authorization code with PKCE, no secret).
 */
export class Auth extends Construct {
  /** The user pool. */
  readonly userPool: UserPool;
  /** The web pages' app client; its id is the ID token's audience. */
  readonly client: UserPoolClient;
  /** The managed-login domain. */
  readonly domain: UserPoolDomain;
  /** The issuer of the pool's tokens, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  /** Base URL of the managed-login domain. */
  readonly domainUrl: string;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, "UserPool", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { vendor: new StringAttribute({ maxLen: 100, mutable: true }) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: "Your Spotcheck account",
        emailBody:
          "You have a Spotcheck account. Sign in with {username} and the temporary password {####}, then set a password and an authenticator app.",
      },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Spelled out as the JWT authorizer spells it: the ProviderURL attribute's form is not
    // documented to carry the scheme, and the app compares the `iss` claim exactly.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;

    USER_GROUPS.forEach((groupName, rank) => {
      new UserPoolGroup(this, `Group-${groupName}`, {
        userPool: this.userPool,
        groupName,
        description: `Spotcheck ${groupName}s`,
        // Cognito puts every group in the token; precedence only orders them (0 is highest).
        precedence: USER_GROUPS.length - 1 - rank,
      });
    });

    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.domainUrl = this.domain.baseUrl();

    this.client = this.userPool.addClient("WebClient", {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.appUrl}${SIGN_IN_CALLBACK_PATH}`],
        logoutUrls: [`${props.appUrl}${SIGN_OUT_RETURN_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes("vendor"),
      // Users may not write custom:vendor themselves: it decides which vendor's data a
      // manager sees and which interactions a reviewer is kept away from.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
    });

    // Managed login (version 2) renders a client's pages only once it has a branding style;
    // Cognito's defaults are enough.
    const branding = new CfnManagedLoginBranding(this, "Branding", {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(this.domain);
  }
}
