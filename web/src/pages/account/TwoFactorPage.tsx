import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconLogout, IconShieldCheck, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth, useMe } from '../../app/auth';
import { ME_KEY } from '../../app/queryClient';
import { PageHeader } from '../../components/PageHeader';
import { PublicFrame } from '../../components/PublicFrame';
import { TwoFactorSetup } from './TwoFactorSetup';

/** /account/two-factor inside the app: set up from the account page, or right after accepting an invitation. */
export function TwoFactorPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Decided once: turning it on here must not swap the recovery codes for "already on".
  const [wasOn] = useState(me.totpEnabled);

  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to="/account" size="sm">
        <IconArrowLeft size={14} aria-hidden style={{ verticalAlign: 'middle' }} className="qila-flip-rtl" />{' '}
        {t('account.title')}
      </Anchor>
      <PageHeader title={t('twoFactor.title')} description={t('twoFactor.description')} />
      {wasOn ? (
        <Alert
          color="qila"
          variant="light"
          icon={<IconShieldCheck aria-hidden />}
          title={t('twoFactor.onTitle')}
        >
          <Stack gap="sm">
            <Text size="sm">{t('twoFactor.alreadyOn')}</Text>
            <div>
              <Button component={Link} to="/account" variant="light">
                {t('twoFactor.backToAccount')}
              </Button>
            </div>
          </Stack>
        </Alert>
      ) : (
        <TwoFactorSetup
          doneLabel={t('twoFactor.finish')}
          onDone={async () => {
            await queryClient.invalidateQueries({ queryKey: ME_KEY });
            void navigate('/account', { replace: true });
          }}
        />
      )}
    </Stack>
  );
}

/**
 * What an account that must set up two-factor authentication sees instead of the app: the set-up,
 * and a way to sign out. Nothing else answers until it is done.
 */
export function EnrolmentShell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { signOut, signingOut } = useAuth();
  return (
    <PublicFrame
      title={t('twoFactor.title')}
      width={960}
      headerActions={
        <Button
          variant="subtle"
          className="qila-header-control"
          leftSection={<IconLogout size={18} aria-hidden />}
          onClick={() => signOut()}
          loading={signingOut}
        >
          {t('user.signOut')}
        </Button>
      }
    >
      <Alert
        color="blue"
        variant="light"
        icon={<IconShieldLock aria-hidden />}
        title={t('twoFactor.requiredTitle')}
      >
        {t('twoFactor.required')}
      </Alert>
      <TwoFactorSetup
        doneLabel={t('twoFactor.continue')}
        onDone={async () => {
          // Reload the profile first: until it says two-factor is on, every page leads back here.
          await queryClient.invalidateQueries({ queryKey: ME_KEY });
          void navigate('/', { replace: true });
        }}
      />
    </PublicFrame>
  );
}
